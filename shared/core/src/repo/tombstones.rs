//! What remains of a removed user: not a user any more (its seat, e-mail,
//! memberships and sessions are gone with its user item), only a record that
//! it was one, so the replaced APIs can list it with `deleted=true`. Written
//! in the removal's own transaction; expires with the audit log (`ttl`). The
//! native API never reads it.

use serde::{Deserialize, Serialize};

use super::codec::to_item;
use super::{keys, User};
use crate::domain::{AccountId, Role, UserId, UserState};
use crate::error::Result;
use crate::ports::Op;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    pub id: UserId,
    pub account_id: AccountId,
    pub email: String,
    #[serde(default)]
    pub first: String,
    #[serde(default)]
    pub last: String,
    pub role: Role,
    /// The state it had when it was removed.
    pub state: UserState,
    #[serde(default)]
    pub mfa: bool,
    pub created: i64,
    /// When it was removed, ms.
    pub removed: i64,
    /// s, DynamoDB TTL.
    pub ttl: i64,
}

impl Tombstone {
    /// The tombstone of `user`, removed at `now` (ms), kept `days`.
    pub fn of(user: &User, now: i64, days: i64) -> Tombstone {
        Tombstone {
            id: user.id,
            account_id: user.account_id,
            email: user.email.as_str().to_string(),
            first: user.first.clone(),
            last: user.last.clone(),
            role: user.role,
            state: user.state,
            mfa: user.mfa,
            created: user.created,
            removed: now,
            ttl: now / 1000 + days * 24 * 3600,
        }
    }

    pub fn put_op(&self) -> Result<Op> {
        Ok(Op::put(to_item(
            &keys::tombstone(self.account_id, self.id),
            self,
        )?))
    }
}
