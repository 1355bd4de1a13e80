//! Groups, the claims on their names, and memberships.
//!
//! A group's `members` count moves with `ADD` in the transaction that adds or
//! removes a membership, so group writes are `Update`s of the fields they
//! change (a whole-item write would put a stale count back).
//!
//! A membership is also listed on its user (`User::groups`): every write adds
//! or removes both in one transaction, so a user holds a group's id exactly
//! when the membership item exists.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use super::{keys, User};
use crate::domain::{AccountId, GroupId, GroupName, MembershipId, UserId};
use crate::error::Result;
use crate::ports::{Cond, Item, Op, Table};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: GroupId,
    pub account_id: AccountId,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub active: bool,
    /// Its memberships.
    #[serde(default)]
    pub members: i64,
    pub created: i64,
    pub updated: i64,
    /// The identity provider's id of this group (SCIM `externalId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Bumped by every change to the group or its members (SCIM's ETag).
    #[serde(default)]
    pub version: i64,
}

impl Group {
    pub fn key(&self) -> crate::ports::Key {
        keys::group(self.account_id, &self.id.to_string())
    }

    pub fn insert_op(&self) -> Result<Op> {
        Ok(Op::put(to_item(&self.key(), self)?).when(Cond::NotExists))
    }
}

/// The claim on a group's name, which also lists the account's groups in
/// name order (`group/find`) and names them (`details`, `group/ofUser`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NameClaim {
    pub group_id: GroupId,
    pub name: String,
}

pub fn claim_op(aid: AccountId, name: &GroupName, gid: GroupId) -> Result<Op> {
    let claim = NameClaim {
        group_id: gid,
        name: name.as_str().into(),
    };
    let item = to_item(&keys::group_name(aid, &name.folded()), &claim)?;
    Ok(Op::put(item).when(Cond::NotExists))
}

/// Gives up a group's claim on the name `folded`.
pub fn unclaim_op(aid: AccountId, folded: &str, gid: GroupId) -> Op {
    Op::delete(keys::group_name(aid, folded)).when(group_is(gid))
}

fn group_is(gid: GroupId) -> Cond {
    Cond::Eq("groupId".into(), gid.to_string().into())
}

/// Moves a group's member count; fails if the group is gone.
pub fn count_op(aid: AccountId, gid: GroupId, n: i64) -> Op {
    Op::update(keys::group(aid, &gid.to_string()))
        .add("members", n)
        .add("version", 1)
        .when(Cond::Exists)
}

/// [`count_op`] on the condition that the group still has the name
/// `name` (what a caller that found it by name rests on).
pub fn count_named_op(aid: AccountId, gid: GroupId, n: i64, name: &str) -> Op {
    Op::update(keys::group(aid, &gid.to_string()))
        .add("members", n)
        .add("version", 1)
        .when(Cond::Eq("name".into(), name.into()))
}

/// One user in one group. Listed in `gs1` by the group, in e-mail order,
/// with lower-cased names for `group/members` `query`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub id: MembershipId,
    pub group_id: GroupId,
    pub user_id: UserId,
    pub created: i64,
}

impl Membership {
    pub fn insert_op(&self, user: &User) -> Result<Op> {
        let aid = user.account_id;
        let mut item = to_item(
            &keys::membership(aid, &self.group_id.to_string(), user.id),
            self,
        )?;
        item.extend(member_copy(user, &self.group_id));
        Ok(Op::put(item).when(Cond::NotExists))
    }
}

/// What a membership copies from its user: its place in the group's e-mail
/// order and the text `query` matches.
fn member_copy(user: &User, gid: &GroupId) -> Item {
    let mut item = Item::new();
    item.insert(
        "gs1pk".into(),
        keys::members_gs1pk(user.account_id, &gid.to_string()).into(),
    );
    item.insert(
        "gs1sk".into(),
        keys::users_gs1sk(&user.email, user.id).into(),
    );
    item.insert("email".into(), user.email.as_str().into());
    let name = format!("{} {}", user.first, user.last)
        .trim()
        .to_lowercase();
    item.insert("nameLc".into(), name.into());
    item.insert("lastLc".into(), user.last.to_lowercase().into());
    item
}

/// Brings a user's memberships up to date with its e-mail and names.
pub fn refresh_ops(user: &User) -> Vec<Op> {
    user.groups
        .iter()
        .filter_map(|g| GroupId::parse(g).ok())
        .map(|gid| {
            let key = keys::membership(user.account_id, &gid.to_string(), user.id);
            let mut op = Op::update(key);
            for (name, value) in member_copy(user, &gid) {
                op = op.set(&name, value);
            }
            op.when(Cond::Exists)
        })
        .collect()
}

pub fn delete_membership_op(aid: AccountId, gid: GroupId, uid: UserId) -> Op {
    Op::delete(keys::membership(aid, &gid.to_string(), uid)).when(Cond::Exists)
}

pub async fn get(table: &dyn Table, aid: AccountId, gid: GroupId) -> Result<Option<Group>> {
    match table.get(&keys::group(aid, &gid.to_string()), true).await? {
        Some(item) => Ok(Some(from_item(item)?)),
        None => Ok(None),
    }
}

/// Every group name claim of the account, in name order, read consistently.
/// Plans cap groups at 1,000, so this is one Query (a page holds 1 MB).
pub async fn all_names(table: &dyn Table, aid: AccountId) -> Result<Vec<NameClaim>> {
    super::all_with_prefix(table, keys::account_pk(aid), "GNAME#".into()).await
}

/// Reads many items by key, in batches of 100 (DynamoDB's limit).
pub async fn get_all(table: &dyn Table, keys: &[crate::ports::Key]) -> Result<Vec<Item>> {
    let mut out = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(100) {
        out.extend(table.batch_get(chunk).await?);
    }
    Ok(out)
}

/// Marks a removed group whose memberships are still being removed.
pub fn purge_marker_op(aid: AccountId, gid: GroupId) -> Result<Op> {
    let key = keys::group_purge(aid, &gid.to_string());
    let mut item = Item::new();
    item.insert("pk".into(), key.pk.into());
    item.insert("sk".into(), key.sk.into());
    item.insert("groupId".into(), gid.to_string().into());
    Ok(Op::put(item))
}
