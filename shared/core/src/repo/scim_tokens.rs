//! SCIM tokens: what an identity provider presents on `/scim/v2/`. The text
//! is `rscim.<account id>.<token id>.<secret>`; only the secret's SHA-256 is
//! stored, in one item under the account (`SCIMTOKEN#<tid>`), so a request
//! costs one consistent read and a revoked token (its item deleted) stops at
//! once. An account holds at most [`MAX_TOKENS`], counted in its own item
//! (`SCIMTOKENS`) under a condition, so parallel creates cannot pass it.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use super::keys;
use crate::crypto::{new_token, sha256_hex};
use crate::domain::{AccountId, ScimTokenId};
use crate::error::Result;
use crate::ports::{Cond, Op, Table};

/// Tokens an account may hold at once (one per provider, and a spare to
/// rotate with).
pub const MAX_TOKENS: i64 = 10;

const PREFIX: &str = "rscim";
const COUNT: &str = "count";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimToken {
    pub id: ScimTokenId,
    pub account_id: AccountId,
    /// What the admin called it ("Okta", "Entra production").
    pub name: String,
    /// SHA-256 of the secret, hex.
    pub hash: String,
    /// ms.
    pub created: i64,
    /// The id of the admin who made it.
    pub created_by: String,
}

/// The parts of a presented token.
pub struct Presented<'a> {
    pub account: AccountId,
    pub id: ScimTokenId,
    pub secret: &'a str,
}

/// Reads a presented token's parts; `None` if it is not roster's shape.
pub fn parse(text: &str) -> Option<Presented<'_>> {
    let mut parts = text.splitn(4, '.');
    if parts.next()? != PREFIX {
        return None;
    }
    let account = AccountId::parse(parts.next()?).ok()?;
    let id = ScimTokenId::parse(parts.next()?).ok()?;
    let secret = parts.next().filter(|s| !s.is_empty())?;
    Some(Presented {
        account,
        id,
        secret,
    })
}

impl ScimToken {
    /// A new token: its record and the text to show once.
    pub fn new(
        aid: AccountId,
        name: String,
        created_by: String,
        now: i64,
    ) -> Result<(ScimToken, String)> {
        let id = ScimTokenId::new();
        let secret = new_token()?;
        let text = format!("{PREFIX}.{aid}.{id}.{secret}");
        let token = ScimToken {
            id,
            account_id: aid,
            name,
            hash: sha256_hex(secret.as_bytes()),
            created: now,
            created_by,
        };
        Ok((token, text))
    }

    /// Whether `secret` is this token's.
    pub fn matches(&self, secret: &str) -> bool {
        // Both sides are digests: comparing them leaks nothing of the secret.
        sha256_hex(secret.as_bytes()) == self.hash
    }

    pub fn insert_op(&self) -> Result<Op> {
        Ok(
            Op::put(to_item(&keys::scim_token(self.account_id, self.id), self)?)
                .when(Cond::NotExists),
        )
    }
}

/// Takes one of the account's token places: fails when all are taken.
pub fn take_place_op(aid: AccountId) -> Op {
    Op::update(keys::scim_token_count(aid))
        .add(COUNT, 1)
        .when(Cond::Or(vec![
            Cond::AttrNotExists(COUNT.into()),
            Cond::Less(COUNT.into(), MAX_TOKENS),
        ]))
}

/// Gives a place back.
pub fn free_place_op(aid: AccountId) -> Op {
    Op::update(keys::scim_token_count(aid))
        .add(COUNT, -1)
        .when(Cond::AtLeast(COUNT.into(), 1))
}

/// Deletes a token; fails if it is already gone.
pub fn delete_op(aid: AccountId, id: ScimTokenId) -> Op {
    Op::delete(keys::scim_token(aid, id)).when(Cond::Exists)
}

/// One token, read consistently.
pub async fn get(table: &dyn Table, aid: AccountId, id: ScimTokenId) -> Result<Option<ScimToken>> {
    match table.get(&keys::scim_token(aid, id), true).await? {
        Some(item) => Ok(Some(from_item(item)?)),
        None => Ok(None),
    }
}

/// The account's tokens, oldest first (ids are ULIDs). At most
/// [`MAX_TOKENS`]: one query.
pub async fn all(table: &dyn Table, aid: AccountId) -> Result<Vec<ScimToken>> {
    super::all_with_prefix(table, keys::account_pk(aid), "SCIMTOKEN#".into()).await
}
