//! Audit entries: who did what to whom, and when, in the account's audit
//! partition (`ACCT#<aid>#AUDIT`, sorted by ULID, so by time). Each is written
//! in the same transaction as the change it records, and expires through the
//! `ttl` attribute after the retention period. An entry never holds a
//! secret, a token or a password: only ids, e-mails, names and field names.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::codec::to_item;
use super::keys;
use super::User;
use crate::clock::next_ulid;
use crate::domain::AccountId;
use crate::error::{Error, Result};
use crate::ports::{Cond, Op};

/// Every action the log records: the operation's name, plus `user/disable`
/// and `user/enable` for state changes made through `user/update`.
pub const ACTIONS: &[&str] = &[
    "user/invite",
    "user/resendInvite",
    "user/update",
    "user/disable",
    "user/enable",
    "user/updateRole",
    "user/remove",
    "user/resetMfa",
    "user/setMfa",
    "user/regenerateRecoveryCodes",
    "user/changePassword",
    "user/resetPassword",
    "user/logoutAll",
    "group/create",
    "group/update",
    "group/remove",
    "group/assign",
    "group/unassign",
    "group/import",
    "account/update",
    "account/scimTokenCreate",
    "account/scimTokenRevoke",
];

/// What an action was done to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Target {
    /// `user`, `group` or `account`.
    pub kind: String,
    pub id: String,
    /// The user's e-mail, the group's or the account's name at the time.
    pub label: String,
}

impl Target {
    pub fn user(user: &User) -> Target {
        Target {
            kind: "user".into(),
            id: user.id.to_string(),
            label: user.email.to_string(),
        }
    }

    pub fn group(id: &str, name: &str) -> Target {
        Target {
            kind: "group".into(),
            id: id.into(),
            label: name.into(),
        }
    }

    pub fn account(id: AccountId, name: &str) -> Target {
        Target {
            kind: "account".into(),
            id: id.to_string(),
            label: name.into(),
        }
    }
}

/// Who acted: a user, or an operator of the deployment (a direct invoke of
/// the write function, authorised by IAM: `id` is `operator`, no e-mail).
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub id: String,
    pub email: String,
}

impl Actor {
    pub fn user(user: &User) -> Actor {
        Actor {
            id: user.id.to_string(),
            email: user.email.to_string(),
        }
    }

    pub fn operator() -> Actor {
        Actor {
            id: OPERATOR.into(),
            email: String::new(),
        }
    }
}

/// The actor id of operator actions.
pub const OPERATOR: &str = "operator";

/// One entry as stored. `actorId` and `targetId` are top-level so the log
/// can be filtered on them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: String,
    /// When, ms.
    pub at: i64,
    pub actor_id: String,
    pub actor_email: String,
    pub action: String,
    pub target_id: String,
    pub target: Target,
    #[serde(default)]
    pub detail: Map<String, Value>,
    /// s, DynamoDB TTL.
    pub ttl: i64,
}

impl Entry {
    /// An entry of `actor` doing `action` to `target` now, kept `days`.
    pub fn new(
        actor: Actor,
        action: &'static str,
        target: Target,
        detail: Value,
        days: i64,
    ) -> Entry {
        let id = next_ulid();
        let at = id.timestamp_ms() as i64;
        Entry {
            id: id.to_string(),
            at,
            actor_id: actor.id,
            actor_email: actor.email,
            action: action.into(),
            target_id: target.id.clone(),
            target,
            detail: match detail {
                Value::Object(map) => map,
                _ => Map::new(),
            },
            ttl: at / 1000 + days * 24 * 3600,
        }
    }

    pub fn insert_op(&self, aid: AccountId) -> Result<Op> {
        Ok(Op::put(to_item(&keys::audit(aid, &self.id), self)?).when(Cond::NotExists))
    }
}

/// Checks an `action` filter.
pub fn parse_action(raw: &str) -> Result<&'static str> {
    ACTIONS.iter().copied().find(|a| *a == raw).ok_or_else(|| {
        Error::invalid(
            "action",
            format!("action must be one of {}", ACTIONS.join(", ")),
        )
    })
}
