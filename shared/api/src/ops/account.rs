//! `account/get`, `account/update`, `account/usage`, `account/audit`; its
//! SCIM tokens in `scim_tokens`.

pub(crate) mod scim_tokens;

use roster_core::accounts::AuditFilter;
use roster_core::domain::{AccountName, UserId};
use roster_core::plans;
use roster_core::repo::audit;
use roster_core::Roster;
use serde::Deserialize;
use serde_json::Value;

use crate::schema;
use crate::views::{self, Reply};
use crate::{ApiError, Call};

use super::user::read::Empty;

pub async fn get(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let Empty {} = call.body()?;
    let account = roster.get_account(call.caller()?).await?;
    Reply::json(&views::account(&account))
}

pub async fn usage(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let Empty {} = call.body()?;
    let account = roster.get_account(call.caller()?).await?;
    Reply::json(&views::usage(&account))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AccountUpdateBody")]
pub(crate) struct UpdateBody {
    #[schemars(with = "Option<schema::Title>")]
    name: Option<String>,
    /// A plan's name, or `{seats: {admin, user, viewer}, groups, features?}`
    /// (the owner only).
    #[schemars(with = "Option<PlanSchema>")]
    plan: Option<Value>,
    /// Whether users an identity provider creates through SCIM get the
    /// invite mail (on unless turned off). Off, for people who sign in only
    /// through the hosted UI: each joins on its first hosted-UI login with
    /// the e-mail it was provisioned with.
    #[serde(rename = "scimInviteMail")]
    scim_invite_mail: Option<bool>,
}

/// What `plans::from_value` takes: a named plan, or a custom one.
pub(crate) struct PlanSchema;

impl schemars::JsonSchema for PlanSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Plan".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A named plan, or a custom one.",
            "oneOf": [
                {"type": "string", "enum": plans::NAMED},
                g.subschema_for::<CustomPlanSchema>(),
            ],
        })
    }
}

/// A custom plan: seats per kind (the owner holds an admin seat), groups,
/// and features reported to other products.
struct CustomPlanSchema;

impl schemars::JsonSchema for CustomPlanSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CustomPlan".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let seats = |min: i64| serde_json::json!({"type": "integer", "minimum": min, "maximum": plans::MAX_SEATS});
        schemars::json_schema!({
            "description": "Seats per kind (the owner holds an admin seat), groups, and features reported to other products.",
            "type": "object",
            "additionalProperties": false,
            "required": ["seats", "groups"],
            "properties": {
                "seats": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["admin", "user", "viewer"],
                    "properties": {"admin": seats(1), "user": seats(0), "viewer": seats(0)},
                },
                "groups": {"type": "integer", "minimum": 0, "maximum": plans::MAX_GROUPS},
                "features": g.subschema_for::<FeaturesSchema>(),
            },
        })
    }
}

/// A plan's features: names to integers or booleans.
struct FeaturesSchema;

impl schemars::JsonSchema for FeaturesSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PlanFeatures".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Other products' entitlements (storage, SSO, …), reported by account/usage, never enforced by roster.",
            "type": "object",
            "maxProperties": plans::MAX_FEATURES,
            "propertyNames": {"minLength": 1, "maxLength": plans::MAX_FEATURE_NAME},
            "additionalProperties": {
                "anyOf": [
                    {"type": "boolean"},
                    {"type": "integer", "minimum": -plans::MAX_FEATURE_VALUE, "maximum": plans::MAX_FEATURE_VALUE},
                ],
            },
        })
    }
}

pub async fn update(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: UpdateBody = call.body()?;
    let name = b
        .name
        .as_deref()
        .map(|n| AccountName::parse_field("name", n))
        .transpose()?;
    // `278.0` is a whole number too, as the document's `integer` says.
    let plan = b
        .plan
        .map(|p| plans::from_value(crate::call::whole_numbers(p)))
        .transpose()?;
    let change = roster_core::accounts::AccountChange {
        name,
        plan,
        scim_invite_mail: b.scim_invite_mail,
    };
    let account = roster.update_account(call.caller()?, change).await?;
    Reply::json(&views::account(&account))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditBody {
    /// One operation's entries.
    #[schemars(with = "Option<ActionSchema>")]
    action: Option<String>,
    /// One user's actions (an id), or `operator`'s.
    #[schemars(with = "Option<ActorSchema>")]
    actor: Option<String>,
    /// What was acted on: a user's, group's or the account's id.
    #[schemars(with = "Option<schema::Id>")]
    target: Option<String>,
}

/// One of the audited operations.
struct ActionSchema;

impl schemars::JsonSchema for ActionSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AuditAction".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "enum": audit::ACTIONS})
    }
}

/// A user's id, or `operator`.
struct ActorSchema;

impl schemars::JsonSchema for ActorSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AuditActor".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"anyOf": [g.subschema_for::<schema::Id>(), {"const": audit::OPERATOR}]})
    }
}

pub async fn audit_log(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: AuditBody = call.body()?;
    let filter = AuditFilter {
        action: b.action.as_deref().map(audit::parse_action).transpose()?,
        actor: match b.actor.as_deref() {
            None => None,
            Some(audit::OPERATOR) => Some(audit::OPERATOR.to_string()),
            Some(a) => Some(UserId::parse_field("actor", a)?.to_string()),
        },
        target: b
            .target
            .as_deref()
            .map(|t| UserId::parse_field("target", t).map(|id| id.to_string()))
            .transpose()?,
    };
    let page = roster
        .audit_log(call.caller()?, &filter, &call.page()?)
        .await?;
    Reply::json(&views::page(&page, views::audit))
}
