//! Plans: how many seats of each kind, and how many groups, an account may
//! fill, plus features roster reports but does not enforce.
//!
//! Every user holds a seat of its role's kind from the moment it is invited
//! (pending invites hold one, so an admin cannot oversubscribe by inviting
//! first and activating later) until it is removed. Disabled users keep theirs.
//! The owner holds an `admin` seat.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::Role;
use crate::error::{Error, Result};

/// Which seat a role fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeatKind {
    /// The owner and admins.
    Admin,
    User,
    Viewer,
}

impl SeatKind {
    pub const ALL: [SeatKind; 3] = [SeatKind::Admin, SeatKind::User, SeatKind::Viewer];

    pub fn of(role: Role) -> SeatKind {
        match role {
            Role::Owner | Role::Admin => SeatKind::Admin,
            Role::User => SeatKind::User,
            Role::Viewer => SeatKind::Viewer,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SeatKind::Admin => "admin",
            SeatKind::User => "user",
            SeatKind::Viewer => "viewer",
        }
    }
}

/// Seats per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seats {
    pub admin: i64,
    pub user: i64,
    pub viewer: i64,
}

impl Seats {
    pub fn get(&self, kind: SeatKind) -> i64 {
        match kind {
            SeatKind::Admin => self.admin,
            SeatKind::User => self.user,
            SeatKind::Viewer => self.viewer,
        }
    }
}

/// What a plan allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub seats: Seats,
    pub groups: i64,
    /// Other products' entitlements (storage, SSO, …): names to numbers or
    /// booleans, reported by `account/usage`, never enforced by roster.
    #[serde(default)]
    pub features: Map<String, Value>,
}

/// Most seats of one kind a plan may hold.
pub const MAX_SEATS: i64 = 100_000;
/// Most groups a plan may hold: `user/find {details}` names a page's groups
/// with one Query of all the account's group names, which must fit one page.
pub const MAX_GROUPS: i64 = 1_000;
pub const MAX_FEATURES: usize = 50;
pub const MAX_FEATURE_NAME: usize = 64;
/// Largest magnitude of an integer feature: 2^53 − 1, the integers every
/// JSON reader (JavaScript's numbers, and so the CDK construct that checks
/// a registration plan) holds exactly.
pub const MAX_FEATURE_VALUE: i64 = (1 << 53) - 1;

/// The name of a plan given as an object rather than by name.
pub const CUSTOM: &str = "custom";

/// Accounts made by open registration start on this plan unless
/// `--registration-plan` says otherwise (and accounts whose stored plan is
/// unknown are read as on it).
pub const DEFAULT_PLAN: &str = "free";

/// The named plans.
pub fn named(name: &str) -> Option<Plan> {
    let (seats, groups, storage, sso) = match name {
        "free" => ((2, 3, 5), 3, 1, false),
        "team" => ((5, 50, 100), 20, 100, false),
        "business" => ((50, 1_000, 2_000), 200, 1_000, true),
        _ => return None,
    };
    let mut features = Map::new();
    features.insert("storageGb".into(), storage.into());
    features.insert("sso".into(), sso.into());
    Some(Plan {
        seats: Seats {
            admin: seats.0,
            user: seats.1,
            viewer: seats.2,
        },
        groups,
        features,
    })
}

/// The named plans.
pub const NAMED: [&str; 3] = ["free", "team", "business"];
const NAMES: &str = "free, team, business";

/// A plan from a flag or an env var: a name, or the JSON of a custom plan.
pub fn parse(text: &str) -> Result<(String, Plan)> {
    let text = text.trim();
    if text.starts_with('{') {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid("plan", format!("the plan is not valid JSON: {e}")))?;
        from_value(value)
    } else {
        from_value(Value::String(text.into()))
    }
}

/// A plan from a request: a name, or an object
/// `{seats: {admin, user, viewer}, groups, features?}`.
pub fn from_value(value: Value) -> Result<(String, Plan)> {
    match value {
        Value::String(name) => named(&name).map(|p| (name, p)).ok_or_else(|| {
            Error::invalid(
                "plan",
                format!("plan must be one of {NAMES}, or an object {{seats, groups, features}}"),
            )
        }),
        Value::Object(_) => {
            let plan: Plan = serde_json::from_value(value).map_err(|e| {
                Error::invalid(
                    "plan",
                    format!("plan must be {{\"seats\": {{\"admin\", \"user\", \"viewer\"}}, \"groups\", \"features\"}}: {e}"),
                )
            })?;
            validate(&plan)?;
            Ok((CUSTOM.into(), plan))
        }
        _ => Err(Error::invalid(
            "plan",
            format!("plan must be one of {NAMES}, or an object"),
        )),
    }
}

fn validate(plan: &Plan) -> Result<()> {
    for kind in SeatKind::ALL {
        let n = plan.seats.get(kind);
        if !(0..=MAX_SEATS).contains(&n) {
            return Err(Error::invalid(
                "plan",
                format!("seats.{} must be 0 to {MAX_SEATS}", kind.as_str()),
            ));
        }
    }
    if plan.seats.admin < 1 {
        return Err(Error::invalid(
            "plan",
            "seats.admin must be at least 1: the owner holds one",
        ));
    }
    if !(0..=MAX_GROUPS).contains(&plan.groups) {
        return Err(Error::invalid(
            "plan",
            format!("groups must be 0 to {MAX_GROUPS}"),
        ));
    }
    if plan.features.len() > MAX_FEATURES {
        return Err(Error::invalid(
            "plan",
            format!("a plan has at most {MAX_FEATURES} features"),
        ));
    }
    for (name, value) in &plan.features {
        if name.is_empty() || name.chars().count() > MAX_FEATURE_NAME {
            return Err(Error::invalid(
                "plan",
                format!("feature names are 1 to {MAX_FEATURE_NAME} characters"),
            ));
        }
        let fits = match value {
            Value::Bool(_) => true,
            Value::Number(n) => n
                .as_i64()
                .is_some_and(|n| (-MAX_FEATURE_VALUE..=MAX_FEATURE_VALUE).contains(&n)),
            _ => false,
        };
        if !fits {
            return Err(Error::invalid(
                "plan",
                format!("features are booleans or integers within ±{MAX_FEATURE_VALUE}"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_and_objects_parse() {
        assert_eq!(parse("team").unwrap().1.seats.user, 50);
        let (name, plan) =
            parse(r#"{"seats": {"admin": 3, "user": 10, "viewer": 5}, "groups": 20, "features": {"sso": true}}"#)
                .unwrap();
        assert_eq!(name, CUSTOM);
        assert_eq!(plan.groups, 20);
        assert!(parse("gold").is_err());
        assert!(parse("{").is_err());
    }

    #[test]
    fn features_hold_integers_every_json_reader_holds() {
        let plan = |n: i64| json!({"seats": {"admin": 1, "user": 1, "viewer": 1}, "groups": 1, "features": {"a": n}});
        assert!(from_value(plan(MAX_FEATURE_VALUE)).is_ok());
        assert!(from_value(plan(-MAX_FEATURE_VALUE)).is_ok());
        assert_eq!(MAX_FEATURE_VALUE, 9_007_199_254_740_991);
    }

    #[test]
    fn bad_plans_are_refused() {
        for bad in [
            json!({"seats": {"admin": 0, "user": 1, "viewer": 1}, "groups": 1}),
            json!({"seats": {"admin": 1, "user": -1, "viewer": 1}, "groups": 1}),
            json!({"seats": {"admin": 1, "user": 1, "viewer": 1}, "groups": 1001}),
            json!({"seats": {"admin": 1, "user": 1}, "groups": 1}),
            json!({"seats": {"admin": 1, "user": 1, "viewer": 1}, "groups": 1, "x": 1}),
            json!({"seats": {"admin": 1, "user": 1, "viewer": 1}, "groups": 1, "features": {"a": "b"}}),
            json!({"seats": {"admin": 1, "user": 1, "viewer": 1}, "groups": 1, "features": {"a": 1.5}}),
            json!({"seats": {"admin": 1, "user": 1, "viewer": 1}, "groups": 1, "features": {"a": MAX_FEATURE_VALUE + 1}}),
            json!({"seats": {"admin": 1, "user": 1, "viewer": 1}, "groups": 1, "features": {"a": -MAX_FEATURE_VALUE - 1}}),
            json!({"seats": {"admin": 1, "user": 1, "viewer": 1}, "groups": 1, "features": {"a": i64::MAX}}),
            json!(7),
        ] {
            assert!(from_value(bad.clone()).is_err(), "{bad}");
        }
    }
}
