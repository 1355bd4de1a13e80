//! Who an e-mail belongs to: the global claim taken at signup, and the
//! per-account record of a pending invite.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use super::keys;
use crate::domain::{AccountId, Email, UserId};
use crate::error::Result;
use crate::ports::{Cond, Op, Table};

/// `EMAIL#<email>`: the one user (in any account) who signed up with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailClaim {
    pub user_id: UserId,
    pub account_id: AccountId,
}

/// Reads the claim consistently (never `gs1`, which lags on AWS).
pub async fn get(table: &dyn Table, email: &Email) -> Result<Option<EmailClaim>> {
    match table.get(&keys::email_claim(email), true).await? {
        Some(item) => Ok(Some(from_item(item)?)),
        None => Ok(None),
    }
}

/// Takes the claim; fails if anyone holds it.
pub fn claim_op(email: &Email, claim: &EmailClaim) -> Result<Op> {
    Ok(Op::put(to_item(&keys::email_claim(email), claim)?).when(Cond::NotExists))
}

/// Gives the claim up, only if `uid` holds it.
pub fn release_op(email: &Email, uid: UserId) -> Op {
    Op::delete(keys::email_claim(email)).when(Cond::Eq("userId".into(), uid.to_string().into()))
}

/// `IDP#<sub>`: the one user a hosted-UI identity is linked to. Same shape as
/// the e-mail claim.
pub async fn get_link(table: &dyn Table, subject: &str) -> Result<Option<EmailClaim>> {
    match table.get(&keys::identity_link(subject), true).await? {
        Some(item) => Ok(Some(from_item(item)?)),
        None => Ok(None),
    }
}

/// Links an identity; fails if it is linked already.
pub fn link_op(subject: &str, claim: &EmailClaim) -> Result<Op> {
    Ok(Op::put(to_item(&keys::identity_link(subject), claim)?).when(Cond::NotExists))
}

/// Unlinks an identity, only from `uid`.
pub fn unlink_op(subject: &str, uid: UserId) -> Op {
    Op::delete(keys::identity_link(subject)).when(Cond::Eq("userId".into(), uid.to_string().into()))
}

/// `ACCT#<aid>` / `INVITED#<email>`: a pending invite, unique per account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invited {
    pub user_id: UserId,
}

pub async fn get_invited(
    table: &dyn Table,
    aid: AccountId,
    email: &Email,
) -> Result<Option<Invited>> {
    match table.get(&keys::invited(aid, email), true).await? {
        Some(item) => Ok(Some(from_item(item)?)),
        None => Ok(None),
    }
}

pub fn invite_op(aid: AccountId, email: &Email, uid: UserId) -> Result<Op> {
    Ok(Op::put(to_item(
        &keys::invited(aid, email),
        &Invited { user_id: uid },
    )?)
    .when(Cond::NotExists))
}

pub fn uninvite_op(aid: AccountId, email: &Email) -> Op {
    Op::delete(keys::invited(aid, email))
}
