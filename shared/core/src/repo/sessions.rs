//! Sessions: one item per login, holding the hash of its current refresh token.
//!
//! Refresh tokens are `<session id>.<secret>`; each use replaces the secret, so
//! a refresh token works once. Presenting the one that was just rotated away
//! ends the session, since it means the token was copied. Any other wrong
//! secret changes nothing: a session id alone (it is in every access token)
//! must not be enough to end someone's session.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use super::keys;
use crate::crypto::{new_token, sha256_hex};
use crate::domain::{AccountId, SessionId, UserId};
use crate::error::Result;
use crate::ports::{Cond, Op, Table};

/// A session may be refreshed for 30 days after its last use.
pub const REFRESH_TTL_MS: i64 = 30 * 24 * 3600 * 1000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub account_id: AccountId,
    pub refresh_hash: String,
    /// Hash of the refresh secret the last rotation replaced: the one whose
    /// return means a copy exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_hash: Option<String>,
    /// The identity provider's grant for self-service MFA calls, sealed
    /// (see `ports::identity`); absent on the embedded backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<String>,
    /// When the session started, ms.
    pub created: i64,
    /// When the current refresh token stops working, ms.
    pub expires: i64,
    /// s, DynamoDB TTL.
    pub ttl: i64,
}

/// A refresh token as handed out, and the hash stored for it.
pub struct RefreshSecret {
    pub token: String,
    pub hash: String,
}

pub fn new_refresh(sid: SessionId) -> Result<RefreshSecret> {
    let secret = new_token()?;
    Ok(RefreshSecret {
        token: format!("{sid}.{secret}"),
        hash: sha256_hex(secret.as_bytes()),
    })
}

/// Splits a refresh token into its session id and the hash of its secret.
pub fn parse_refresh(token: &str) -> Option<(SessionId, String)> {
    let (sid, secret) = token.split_once('.')?;
    if secret.is_empty() || secret.len() > 100 {
        return None;
    }
    Some((SessionId::parse(sid).ok()?, sha256_hex(secret.as_bytes())))
}

impl Session {
    pub fn insert_op(&self) -> Result<Op> {
        Ok(Op::put(to_item(&keys::session(self.id), self)?).when(Cond::NotExists))
    }

    /// Replaces the refresh hash, only if it is still the one that was shown,
    /// and remembers the old one.
    pub fn rotate_op(&self, new_hash: &str, expires: i64) -> Op {
        Op::update(keys::session(self.id))
            .set("refreshHash", new_hash)
            .set("previousHash", self.refresh_hash.clone())
            .set("expires", expires)
            .set("ttl", expires / 1000)
            .when(Cond::Eq(
                "refreshHash".into(),
                self.refresh_hash.clone().into(),
            ))
    }
}

pub async fn get(table: &dyn Table, sid: SessionId) -> Result<Option<Session>> {
    match table.get(&keys::session(sid), true).await? {
        Some(item) => Ok(Some(from_item(item)?)),
        None => Ok(None),
    }
}

pub fn delete_op(sid: SessionId) -> Op {
    Op::delete(keys::session(sid))
}
