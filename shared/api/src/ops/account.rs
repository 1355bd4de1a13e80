//! `account/get`, `account/update`, `account/usage`, `account/audit`.

use roster_core::accounts::AuditFilter;
use roster_core::domain::{AccountName, UserId};
use roster_core::plans;
use roster_core::repo::audit;
use roster_core::Roster;
use serde::Deserialize;
use serde_json::Value;

use crate::views::{self, Reply};
use crate::{ApiError, Call};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Empty {}

pub async fn get(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let Empty {} = call.body()?;
    let account = roster.get_account(call.caller()?).await?;
    Reply::json(&views::account(&account))
}

pub async fn usage(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let Empty {} = call.body()?;
    let account = roster.get_account(call.caller()?).await?;
    Reply::json(&views::usage(&account))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateBody {
    name: Option<String>,
    /// A plan's name, or `{seats: {admin, user, viewer}, groups, features?}`.
    plan: Option<Value>,
}

pub async fn update(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let b: UpdateBody = call.body()?;
    let name = b
        .name
        .as_deref()
        .map(|n| AccountName::parse_field("name", n))
        .transpose()?;
    let plan = b.plan.map(plans::from_value).transpose()?;
    let account = roster.update_account(call.caller()?, name, plan).await?;
    Reply::json(&views::account(&account))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditBody {
    action: Option<String>,
    actor: Option<String>,
    target: Option<String>,
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
        target: match b.target.as_deref().map(str::trim) {
            Some(t) if t.is_empty() || t.len() > 64 => {
                return Err(roster_core::Error::invalid("target", "target is an id").into())
            }
            t => t.map(str::to_string),
        },
    };
    let page = roster
        .audit_log(call.caller()?, &filter, &call.page_fixed()?)
        .await?;
    Reply::json(&views::page(&page, views::audit))
}
