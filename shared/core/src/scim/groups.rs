//! Groups as an identity provider pushes them: a group and the members it
//! should have. Membership changes go through `group/assign` and
//! `group/unassign`'s own use cases (each one transaction, conditional on
//! what it reads), so seats, audit and the members' copies stay as the
//! native API keeps them.
//!
//! A PATCH names the members it adds and removes, and only those change
//! (what others changed meanwhile stays); a PUT names the members the group
//! should have, and is applied to the members as they are read just before,
//! until they match.

use std::collections::BTreeSet;

use crate::domain::{GroupId, UserId};
use crate::error::{Error, Result};
use crate::groups::{GroupChange, NewGroup, MAX_ASSIGNMENTS};
use crate::policy;
use crate::repo::groups::{Group, Membership};
use crate::repo::keys;
use crate::users::Caller;
use crate::Roster;

/// The most members one group push names (a PUT or POST), or adds.
pub const MAX_MEMBERS: usize = 5_000;
/// Rounds of a PUT's members when others change them meanwhile.
const ROUNDS: usize = 3;

/// The members a write asks for.
pub enum Members<'a> {
    /// Exactly these (a PUT).
    Exactly(&'a BTreeSet<UserId>),
    /// These in, those out (a PATCH).
    Change {
        add: &'a BTreeSet<UserId>,
        remove: &'a BTreeSet<UserId>,
    },
}

fn too_many(n: usize) -> Result<()> {
    if n > MAX_MEMBERS {
        return Err(Error::invalid(
            "members",
            format!("at most {MAX_MEMBERS} members at once"),
        ));
    }
    Ok(())
}

impl Roster {
    /// Creates a group with its members.
    pub async fn provision_group(
        &self,
        caller: &Caller,
        new: NewGroup,
        members: &BTreeSet<UserId>,
    ) -> Result<Group> {
        policy::require_admin(&caller.user)?;
        too_many(members.len())?;
        self.provisioned_members(caller, members).await?;
        let group = self.create_group(caller, new).await?;
        self.set_members(caller, group.id, members, &BTreeSet::new())
            .await?;
        self.get_group(caller, group.id).await
    }

    /// Renames the group (when `change` says so) and changes its members.
    /// `version`, when given (`If-Match`), must be the group's as read.
    pub async fn reprovision_group(
        &self,
        caller: &Caller,
        gid: GroupId,
        change: GroupChange,
        members: Members<'_>,
        version: Option<i64>,
    ) -> Result<Group> {
        policy::require_admin(&caller.user)?;
        let group = self.get_group(caller, gid).await?;
        if version.is_some_and(|v| v != group.version) {
            return Err(Error::Stale("the group changed since that version"));
        }
        if change.name.is_some()
            || change.description.is_some()
            || change.active.is_some()
            || change.external_id.is_some()
        {
            self.update_group(caller, gid, change).await?;
        }
        match members {
            Members::Change { add, remove } => {
                too_many(add.len())?;
                self.provisioned_members(caller, add).await?;
                self.set_members(caller, gid, add, remove).await?;
            }
            Members::Exactly(want) => {
                too_many(want.len())?;
                for _ in 0..ROUNDS {
                    let had = self.member_ids(caller, gid).await?;
                    if had == *want {
                        break;
                    }
                    let add: BTreeSet<UserId> = want.difference(&had).copied().collect();
                    let remove: BTreeSet<UserId> = had.difference(want).copied().collect();
                    self.provisioned_members(caller, &add).await?;
                    self.set_members(caller, gid, &add, &remove).await?;
                }
            }
        }
        self.get_group(caller, gid).await
    }

    /// The ids of a group's members, read consistently.
    pub async fn member_ids(&self, caller: &Caller, gid: GroupId) -> Result<BTreeSet<UserId>> {
        let pk = keys::account_pk(caller.user.account_id);
        let all: Vec<Membership> =
            crate::repo::all_with_prefix(self.table.as_ref(), pk, format!("MEMBER#{gid}#")).await?;
        Ok(all.into_iter().map(|m| m.user_id).collect())
    }

    async fn set_members(
        &self,
        caller: &Caller,
        gid: GroupId,
        add: &BTreeSet<UserId>,
        remove: &BTreeSet<UserId>,
    ) -> Result<()> {
        let added: Vec<(UserId, GroupId)> = add.iter().map(|u| (*u, gid)).collect();
        for chunk in added.chunks(MAX_ASSIGNMENTS) {
            match self.assign(caller, chunk.to_vec()).await {
                Ok(_) => {}
                // A member removed since it was checked: a bad member, not
                // a missing group (which a provider would take it for).
                Err(Error::NotFound("no such user")) => {
                    return Err(Error::invalid(
                        "members",
                        "a member is no user of this account",
                    ))
                }
                Err(e) => return Err(e),
            }
        }
        for uid in remove {
            match self.unassign(caller, *uid, gid).await {
                // Gone already (removed meanwhile): what was wanted.
                Ok(()) | Err(Error::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Checks that every id names a user of the caller's account.
    pub async fn provisioned_members(&self, caller: &Caller, ids: &BTreeSet<UserId>) -> Result<()> {
        let list: Vec<UserId> = ids.iter().copied().collect();
        let found = self.users_by_id(caller.user.account_id, &list).await?;
        match list.iter().find(|u| !found.contains_key(u)) {
            Some(missing) => Err(Error::invalid(
                "members",
                format!("members: no user {missing} in this account"),
            )),
            None => Ok(()),
        }
    }
}
