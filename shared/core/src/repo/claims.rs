//! Who an e-mail belongs to: the global claim taken at signup, and the
//! per-account record of a pending invite.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use super::keys;
use crate::domain::{AccountId, Email, UserId};
use crate::error::Result;
use crate::ports::{Cond, Index, Key, Op, Query, Table};

/// `EMAIL#<email>`: the one user (in any account) who signed up with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailClaim {
    pub user_id: UserId,
    pub account_id: AccountId,
}

/// Reads the claim consistently (never `gs1`, which lags on AWS).
pub async fn get(table: &dyn Table, email: &Email) -> Result<Option<EmailClaim>> {
    read(table, &keys::email_claim(email)).await
}

/// Takes the claim; fails if anyone holds it.
pub fn claim_op(email: &Email, claim: &EmailClaim) -> Result<Op> {
    take_op(keys::email_claim(email), claim)
}

/// Gives the claim up, only if `uid` holds it.
pub fn release_op(email: &Email, uid: UserId) -> Op {
    give_up_op(keys::email_claim(email), uid)
}

/// `IDP#<sub>`: the one user a hosted-UI identity is linked to. Same shape as
/// the e-mail claim.
pub async fn get_link(table: &dyn Table, subject: &str) -> Result<Option<EmailClaim>> {
    read(table, &keys::identity_link(subject)).await
}

/// Links an identity; fails if it is linked already.
pub fn link_op(subject: &str, claim: &EmailClaim) -> Result<Op> {
    take_op(keys::identity_link(subject), claim)
}

/// Unlinks an identity, only from `uid`.
pub fn unlink_op(subject: &str, uid: UserId) -> Op {
    give_up_op(keys::identity_link(subject), uid)
}

async fn read(table: &dyn Table, key: &Key) -> Result<Option<EmailClaim>> {
    match table.get(key, true).await? {
        Some(item) => Ok(Some(from_item(item)?)),
        None => Ok(None),
    }
}

fn take_op(key: Key, claim: &EmailClaim) -> Result<Op> {
    Ok(Op::put(to_item(&key, claim)?).when(Cond::NotExists))
}

fn give_up_op(key: Key, uid: UserId) -> Op {
    Op::delete(key).when(Cond::Eq("userId".into(), uid.to_string().into()))
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

/// Holds while `email` is no member of `aid` (its claim missing, or
/// another account's): an invite checks it in its own transaction, so a
/// pending invitee of `aid` signing up meanwhile can't leave two users.
pub fn not_member_op(aid: AccountId, email: &Email) -> Op {
    Op::check(
        keys::email_claim(email),
        Cond::Ne("accountId".into(), aid.to_string().into()),
    )
}

/// Records a pending invite. It is also listed in `gs1` under the e-mail,
/// with every other account's invite of it (what the unauthenticated
/// "send my invite again" finds).
pub fn invite_op(aid: AccountId, email: &Email, uid: UserId) -> Result<Op> {
    let mut item = to_item(&keys::invited(aid, email), &Invited { user_id: uid })?;
    item.insert("gs1pk".into(), keys::invites_gs1pk(email).into());
    item.insert("gs1sk".into(), aid.to_string().into());
    Ok(Op::put(item).when(Cond::NotExists))
}

/// The pending invites of `email`, in any account: `(account, user)`, at
/// most `max`. Read on `gs1`, which may lag a write by a moment.
pub async fn invites_of(
    table: &dyn Table,
    email: &Email,
    max: usize,
) -> Result<Vec<(AccountId, Invited)>> {
    let mut q = Query::new(Index::Gs1, keys::invites_gs1pk(email));
    q.limit = Some(max);
    let page = table.query(&q).await?;
    page.items
        .into_iter()
        .map(|item| {
            let aid = item
                .get("gs1sk")
                .and_then(|v| v.as_str())
                .and_then(|s| AccountId::parse(s).ok());
            let invited: Invited = from_item(item)?;
            Ok(aid.map(|aid| (aid, invited)))
        })
        .filter_map(Result::transpose)
        .collect()
}

pub fn uninvite_op(aid: AccountId, email: &Email) -> Op {
    Op::delete(keys::invited(aid, email))
}

/// The claim on a SCIM `userName` that is no e-mail address.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimName {
    pub user_id: UserId,
}

/// The case-insensitive form of a SCIM `userName`, its claim's key.
pub fn fold_scim_name(name: &str) -> String {
    name.to_lowercase()
}

/// Claims the SCIM `userName` `name` for `uid`; fails if it is taken.
pub fn scim_name_op(aid: AccountId, name: &str, uid: UserId) -> Result<Op> {
    let key = keys::scim_name(aid, &fold_scim_name(name));
    Ok(Op::put(to_item(&key, &ScimName { user_id: uid })?).when(Cond::NotExists))
}

/// Gives up `uid`'s claim on the SCIM `userName` `name`.
pub fn release_scim_name_op(aid: AccountId, name: &str, uid: UserId) -> Op {
    Op::delete(keys::scim_name(aid, &fold_scim_name(name)))
        .when(Cond::Eq("userId".into(), uid.to_string().into()))
}

/// Who holds the SCIM `userName` `name` in account `aid`.
pub async fn get_scim_name(
    table: &dyn Table,
    aid: AccountId,
    name: &str,
) -> Result<Option<UserId>> {
    match table
        .get(&keys::scim_name(aid, &fold_scim_name(name)), true)
        .await?
    {
        Some(item) => Ok(Some(from_item::<ScimName>(item)?.user_id)),
        None => Ok(None),
    }
}
