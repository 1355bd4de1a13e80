//! Whole lists of an account, read at once, for the replaced APIs' offset
//! paging (DESIGN §4b), which sorts, filters and counts in memory.
//!
//! Each list is one Query per 1 MB page of the account's partition, read
//! consistently, and bounded: an account with more than [`MAX_USERS`] users
//! (or removed users) is refused with a clear error that points at the
//! native cursor API (`user/find`), never silently cut short. Plans cap
//! groups at 1,000, far below the bound.

use std::collections::HashMap;

use crate::domain::{GroupId, MembershipId, UserId};
use crate::error::{Error, Result};
use crate::policy;
use crate::ports::{Cond, Index, Item, Query, SortKey};
use crate::repo::codec::from_item;
use crate::repo::groups::{self, Group, Membership};
use crate::repo::tombstones::Tombstone;
use crate::repo::{keys, User};
use crate::users::{Caller, UserRef};
use crate::Roster;

/// The most users (and, apart, removed users) one offset page reads.
pub const MAX_USERS: usize = 5_000;
/// The most groups or memberships of one group one offset page reads.
pub const MAX_GROUPS: usize = MAX_USERS;

/// Members of a group read by key; past this, all the account's users.
const BY_KEY: usize = 200;

fn too_many(what: &str, max: usize) -> Error {
    Error::Invalid {
        field: None,
        message: format!(
            "this account has more than {max} {what}, more than one offset page reads; \
             page through them with the native API's cursors (POST /user/find, POST /group/find)"
        ),
    }
}

impl Roster {
    /// Every item `q` finds, at most `max` of them.
    async fn read_all(&self, mut q: Query, max: usize, what: &str) -> Result<Vec<Item>> {
        q.consistent = q.index == Index::Primary;
        let mut out = Vec::new();
        loop {
            let page = self.table.query(&q).await?;
            out.extend(page.items);
            if out.len() > max {
                return Err(too_many(what, max));
            }
            match page.last_key {
                Some(k) => q.start_after = Some(k),
                None => return Ok(out),
            }
        }
    }

    fn account_query(&self, caller: &Caller, prefix: String) -> Query {
        let mut q = Query::new(Index::Primary, keys::account_pk(caller.user.account_id));
        q.sk = Some(SortKey::BeginsWith(prefix));
        q
    }

    /// Every user of the caller's account, in creation order.
    pub async fn all_users(&self, caller: &Caller) -> Result<Vec<User>> {
        let q = self.account_query(caller, "USER#".into());
        let items = self.read_all(q, MAX_USERS, "users").await?;
        items.into_iter().map(User::from_item).collect()
    }

    /// What remains of the account's removed users (kept for the audit
    /// period): admins only, as the audit log that records removals.
    pub async fn removed_users(&self, caller: &Caller) -> Result<Vec<Tombstone>> {
        policy::require_admin(&caller.user)?;
        let q = self.account_query(caller, "GONE#".into());
        let items = self.read_all(q, MAX_USERS, "removed users").await?;
        items.into_iter().map(from_item).collect()
    }

    /// Every group of the caller's account.
    pub async fn all_groups(&self, caller: &Caller) -> Result<Vec<Group>> {
        let q = self.account_query(caller, "GROUP#".into());
        let items = self.read_all(q, MAX_GROUPS, "groups").await?;
        items.into_iter().map(from_item).collect()
    }

    /// A group of the caller's account (`NotFound` when it is not one) and
    /// each of its memberships with its user, as `group/members` allows.
    pub async fn assignments_of_group(
        &self,
        caller: &Caller,
        gid: GroupId,
    ) -> Result<(Group, Vec<(Membership, User)>)> {
        let group = self.get_group(caller, gid).await?;
        let q = self.account_query(caller, format!("MEMBER#{gid}#"));
        let items = self.read_all(q, MAX_USERS, "members in this group").await?;
        let memberships: Vec<Membership> =
            items.into_iter().map(from_item).collect::<Result<_>>()?;
        let uids: Vec<UserId> = memberships.iter().map(|m| m.user_id).collect();
        // Few members: their users by key; many: the account's users in a
        // few Queries rather than a batch read per 100.
        let mut users: HashMap<UserId, User> = if uids.len() > BY_KEY {
            let all = self.all_users(caller).await?;
            all.into_iter().map(|u| (u.id, u)).collect()
        } else {
            self.users_by_id(caller.user.account_id, &uids).await?
        };
        // A user removed meanwhile is left out.
        let joined = memberships
            .into_iter()
            .filter_map(|m| users.remove(&m.user_id).map(|u| (m, u)))
            .collect();
        Ok((group, joined))
    }

    /// A user of the caller's account (`NotFound` when it is not one) and
    /// each of its memberships with its group, as `group/ofUser` allows.
    pub async fn assignments_of_user(
        &self,
        caller: &Caller,
        uid: UserId,
    ) -> Result<(User, Vec<(Membership, Group)>)> {
        let user = self.find_user(caller, &UserRef::Id(uid)).await?;
        let memberships = self.memberships_of(std::slice::from_ref(&user)).await?;
        let gids: Vec<GroupId> = memberships.iter().map(|m| m.group_id).collect();
        let groups = self.groups_by_id(user.account_id, &gids).await?;
        // A group removed meanwhile is left out.
        let joined = memberships
            .into_iter()
            .filter_map(|m| {
                let group = groups.iter().find(|g| g.id == m.group_id)?.clone();
                Some((m, group))
            })
            .collect();
        Ok((user, joined))
    }

    /// Every membership of the caller's account with its member's e-mail
    /// (the copy the membership keeps), in group order (admins: SCIM's
    /// `members`). At most ten per user the account may hold.
    pub async fn all_memberships(&self, caller: &Caller) -> Result<Vec<(Membership, String)>> {
        policy::require_admin(&caller.user)?;
        let q = self.account_query(caller, "MEMBER#".into());
        let items = self.read_all(q, MAX_USERS * 10, "memberships").await?;
        items
            .into_iter()
            .map(|item| {
                let email = item
                    .get("email")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string();
                Ok((from_item(item)?, email))
            })
            .collect()
    }

    /// The memberships of `users`, in one batch read per 100.
    pub async fn memberships_of(&self, users: &[User]) -> Result<Vec<Membership>> {
        let keys: Vec<_> = users
            .iter()
            .flat_map(|u| {
                u.groups
                    .iter()
                    .map(|g| keys::membership(u.account_id, g, u.id))
            })
            .collect();
        let items = groups::get_all(self.table.as_ref(), &keys).await?;
        items.into_iter().map(from_item).collect()
    }

    /// The membership of the caller's account with id `mid`: a filtered
    /// Query of the account's memberships, which stops at the match.
    pub(crate) async fn membership_by_id(
        &self,
        caller: &Caller,
        mid: MembershipId,
    ) -> Result<(UserId, GroupId)> {
        let mut q = self.account_query(caller, "MEMBER#".into());
        q.consistent = true;
        q.filter = Some(Cond::Eq("id".into(), mid.to_string().into()));
        loop {
            let page = self.table.query(&q).await?;
            if let Some(item) = page.items.into_iter().next() {
                let m: Membership = from_item(item)?;
                // A group being purged leaves memberships behind: they are
                // not memberships any more.
                if groups::get(self.table.as_ref(), caller.user.account_id, m.group_id)
                    .await?
                    .is_none()
                {
                    break;
                }
                return Ok((m.user_id, m.group_id));
            }
            match page.last_key {
                Some(k) => q.start_after = Some(k),
                None => break,
            }
        }
        Err(Error::NotFound("no such assignment"))
    }
}
