//! Single-use tokens mailed as links: invites, password resets and open
//! registrations. 32 random bytes shown once, stored only as a SHA-256 hash.
//!
//! Expiry is checked in code; the `ttl` attribute (expiry + 30 days) only lets
//! DynamoDB clean up, since it deletes late and the emulator never does.
//!
//! Tokens that set a password are spent under the login's password lock
//! (`repo::password_locks`), taken before the password is set.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use super::keys;
use crate::clock::now_ms;
use crate::crypto::{new_token, sha256_hex};
use crate::domain::{AccountId, Email, UserId};
use crate::error::{Error, Result};
use crate::ports::{Cond, Op, Table};

/// Invites are good for 7 days unless `--invite-ttl` says otherwise.
pub const INVITE_TTL_MS: i64 = 7 * 24 * 3600 * 1000;
/// The never-mailed invite of a user who joins through the hosted UI (its
/// account sends SCIM users no mail): a year.
pub const HOSTED_JOIN_TTL_MS: i64 = 365 * 24 * 3600 * 1000;
/// Password-reset links for 1 hour.
pub const RESET_TTL_MS: i64 = 3600 * 1000;
/// Registration links for 1 day.
pub const REGISTER_TTL_MS: i64 = 24 * 3600 * 1000;
const CLEANUP_AFTER_SECS: i64 = 30 * 24 * 3600;

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Joins a pending user to its account.
    Invite,
    /// Sets a forgotten password.
    Reset,
    /// Creates an account and its owner (open registration).
    Register,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRecord {
    pub kind: Kind,
    /// The user it is for. For a registration, the id the owner will get.
    pub user_id: UserId,
    /// Likewise the account (a registration's is made at signup).
    pub account_id: AccountId,
    /// The e-mail it was mailed to. (Absent on invites made before it was
    /// stored.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A registration's account name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// ms. (Absent on invites made before it was stored.)
    #[serde(default)]
    pub issued: i64,
    /// ms.
    pub expires: i64,
    /// s, DynamoDB TTL.
    pub ttl: i64,
    /// ms: when the link was used. A used token is kept (until its TTL) so
    /// the link can say "already used" rather than "not valid".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spent: Option<i64>,
}

/// A fresh token: the secret to show once, its hash, and its record.
pub struct NewToken {
    pub secret: String,
    pub hash: String,
    pub record: TokenRecord,
}

impl NewToken {
    fn new(
        kind: Kind,
        uid: UserId,
        aid: AccountId,
        email: &Email,
        ttl_ms: i64,
    ) -> Result<NewToken> {
        let secret = new_token()?;
        let issued = now_ms();
        let expires = issued + ttl_ms;
        Ok(NewToken {
            hash: sha256_hex(secret.as_bytes()),
            secret,
            record: TokenRecord {
                kind,
                user_id: uid,
                account_id: aid,
                email: Some(email.to_string()),
                account_name: None,
                issued,
                expires,
                ttl: expires / 1000 + CLEANUP_AFTER_SECS,
                spent: None,
            },
        })
    }

    pub fn invite(uid: UserId, aid: AccountId, email: &Email, ttl_ms: i64) -> Result<NewToken> {
        Self::new(Kind::Invite, uid, aid, email, ttl_ms)
    }

    pub fn reset(uid: UserId, aid: AccountId, email: &Email) -> Result<NewToken> {
        Self::new(Kind::Reset, uid, aid, email, RESET_TTL_MS)
    }

    /// A registration: the account and owner ids are chosen now, made at signup.
    pub fn register(email: &Email, account_name: &str) -> Result<NewToken> {
        let mut t = Self::new(
            Kind::Register,
            UserId::new(),
            AccountId::new(),
            email,
            REGISTER_TTL_MS,
        )?;
        t.record.account_name = Some(account_name.to_string());
        Ok(t)
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

/// What to say about a link that doesn't work: unknown, or replaced by a
/// newer one (a resent invite, a corrected e-mail).
fn invalid(kind: Kind) -> Error {
    Error::TokenInvalid(match kind {
        Kind::Invite | Kind::Register => {
            "the invite link is not valid; it may have been replaced by a newer one"
        }
        Kind::Reset => "the reset link is not valid; it may have been replaced by a newer one",
    })
}

/// What to say about a link that was used. Telling this apart from an
/// unknown link leaks nothing: only who holds the link's secret can ask.
pub fn used(kind: Kind) -> Error {
    Error::TokenInvalid(match kind {
        Kind::Invite | Kind::Register => "this link was already used; sign in instead",
        Kind::Reset => "this reset link was already used; ask for a new one if you need to",
    })
}

fn expired(kind: Kind) -> Error {
    Error::TokenExpired(match kind {
        Kind::Invite => "the invite link has expired; ask for a new one",
        Kind::Register => "the link has expired; register again",
        Kind::Reset => "the reset link has expired; ask for a new one",
    })
}

/// Finds an unexpired token of one of `kinds` (the first names the errors).
/// Unknown → `TokenInvalid`, past its expiry → `TokenExpired`.
pub async fn find(table: &dyn Table, secret: &str, kinds: &[Kind]) -> Result<FoundToken> {
    let named = kinds.first().copied().unwrap_or(Kind::Invite);
    if secret.is_empty() || secret.len() > 100 {
        return Err(invalid(named));
    }
    find_hash(table, sha256_hex(secret.as_bytes()), kinds).await
}

/// [`find`] by the token's hash (what a pending user holds).
pub async fn find_hash(table: &dyn Table, hash: String, kinds: &[Kind]) -> Result<FoundToken> {
    let named = kinds.first().copied().unwrap_or(Kind::Invite);
    let item = table
        .get(&keys::token(&hash), true)
        .await?
        .ok_or_else(|| invalid(named))?;
    let record: TokenRecord = from_item(item)?;
    if !kinds.contains(&record.kind) {
        return Err(invalid(named));
    }
    if record.spent.is_some() {
        return Err(used(record.kind));
    }
    if record.expires < now_ms() {
        return Err(expired(record.kind));
    }
    Ok(FoundToken { hash, record })
}

impl FoundToken {
    /// The error for this link once it turns out not to work after all.
    pub fn invalid(&self) -> Error {
        invalid(self.record.kind)
    }

    /// The error for this link once another request turns out to have used it.
    pub fn used(&self) -> Error {
        used(self.record.kind)
    }
}

/// The token is there and not yet used.
fn unspent() -> Cond {
    Cond::And(vec![Cond::Exists, Cond::AttrNotExists("spent".into())])
}

/// Checks that the token is still unspent: what taking the password lock
/// checks in the same transaction, since another request may have spent the
/// token between this one's first read and the lock.
pub fn unspent_op(hash: &str) -> Op {
    Op::check(keys::token(hash), unspent())
}

/// Spends a token: marks it used (it stays until its TTL, so the link can
/// say so); fails if it was already spent or is gone.
pub fn spend_op(hash: &str) -> Op {
    Op::update(keys::token(hash))
        .set("spent", now_ms())
        .when(unspent())
}

/// Deletes a token that may already be gone.
pub fn discard_op(hash: &str) -> Op {
    Op::delete(keys::token(hash))
}
