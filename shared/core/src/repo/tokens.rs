//! Invite tokens: 32 random bytes shown once, stored only as a SHA-256 hash.
//!
//! Expiry is checked in code; the `ttl` attribute (expiry + 30 days) only lets
//! DynamoDB clean up, since it deletes late and the emulator never does.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use super::keys;
use crate::clock::now_ms;
use crate::crypto::{new_token, sha256_hex};
use crate::domain::{AccountId, Email, UserId};
use crate::error::{Error, Result};
use crate::ports::{Cond, Op, Table};

/// Invites are good for 7 days.
pub const INVITE_TTL_MS: i64 = 7 * 24 * 3600 * 1000;
const CLEANUP_AFTER_SECS: i64 = 30 * 24 * 3600;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRecord {
    pub kind: String,
    pub user_id: UserId,
    pub account_id: AccountId,
    /// The invited e-mail, so signup reads its claim with the user in one
    /// batch. (Absent on tokens made before it was stored.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// ms.
    pub expires: i64,
    /// s, DynamoDB TTL.
    pub ttl: i64,
}

/// A fresh token: the secret to show once, its hash, and the op that stores it.
pub struct NewToken {
    pub secret: String,
    pub hash: String,
    pub record: TokenRecord,
}

impl NewToken {
    pub fn invite(uid: UserId, aid: AccountId, email: &Email) -> Result<NewToken> {
        let secret = new_token()?;
        let expires = now_ms() + INVITE_TTL_MS;
        Ok(NewToken {
            hash: sha256_hex(secret.as_bytes()),
            secret,
            record: TokenRecord {
                kind: "invite".into(),
                user_id: uid,
                account_id: aid,
                email: Some(email.to_string()),
                expires,
                ttl: expires / 1000 + CLEANUP_AFTER_SECS,
            },
        })
    }

    pub fn insert_op(&self) -> Result<Op> {
        Ok(Op::put(to_item(&keys::token(&self.hash), &self.record)?).when(Cond::NotExists))
    }
}

/// A token looked up by its secret.
pub struct FoundToken {
    pub hash: String,
    pub record: TokenRecord,
}

/// Finds an unexpired invite token. Unknown → `TokenInvalid`, past its
/// expiry → `TokenExpired`.
pub async fn find_invite(table: &dyn Table, secret: &str) -> Result<FoundToken> {
    let invalid = || Error::TokenInvalid("the invite link is invalid or was already used");
    if secret.is_empty() || secret.len() > 100 {
        return Err(invalid());
    }
    let hash = sha256_hex(secret.as_bytes());
    let item = table
        .get(&keys::token(&hash), true)
        .await?
        .ok_or_else(invalid)?;
    let record: TokenRecord = from_item(item)?;
    if record.kind != "invite" {
        return Err(invalid());
    }
    if record.expires < now_ms() {
        return Err(Error::TokenExpired(
            "the invite link has expired; ask for a new one",
        ));
    }
    Ok(FoundToken { hash, record })
}

/// Spends a token: fails if it was already spent.
pub fn spend_op(hash: &str) -> Op {
    Op::delete(keys::token(hash)).when(Cond::Exists)
}

/// Deletes a token that may already be gone.
pub fn discard_op(hash: &str) -> Op {
    Op::delete(keys::token(hash))
}
