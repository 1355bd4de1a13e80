//! Groups as an identity provider pushes them: a group and the members it
//! should have. Membership changes go through `group/assign` and
//! `group/unassign`'s own use cases (each one transaction, conditional on
//! what it reads), so seats, audit and the members' copies stay as the
//! native API keeps them.

use std::collections::BTreeSet;

use crate::domain::{GroupId, UserId};
use crate::error::{Error, Result};
use crate::groups::{GroupChange, NewGroup};
use crate::policy;
use crate::repo::groups::Group;
use crate::users::Caller;
use crate::Roster;

/// The most members one group push names (a PUT or POST).
pub const MAX_MEMBERS: usize = 5_000;

impl Roster {
    /// Creates a group with its members.
    pub async fn provision_group(
        &self,
        caller: &Caller,
        new: NewGroup,
        members: &BTreeSet<UserId>,
    ) -> Result<Group> {
        policy::require_admin(&caller.user)?;
        if members.len() > MAX_MEMBERS {
            return Err(Error::invalid(
                "members",
                format!("at most {MAX_MEMBERS} members"),
            ));
        }
        let group = self.create_group(caller, new).await?;
        self.set_members(caller, group.id, &BTreeSet::new(), members)
            .await?;
        self.get_group(caller, group.id).await
    }

    /// Renames the group (when `change` says so) and moves its members from
    /// `had` to `want`: who is new is assigned, who is gone unassigned.
    pub async fn reprovision_group(
        &self,
        caller: &Caller,
        gid: GroupId,
        change: GroupChange,
        had: &BTreeSet<UserId>,
        want: &BTreeSet<UserId>,
    ) -> Result<Group> {
        policy::require_admin(&caller.user)?;
        if want.len() > MAX_MEMBERS {
            return Err(Error::invalid(
                "members",
                format!("at most {MAX_MEMBERS} members"),
            ));
        }
        let group = self.get_group(caller, gid).await?;
        if change.name.is_some() || change.description.is_some() || change.active.is_some() {
            self.update_group(caller, gid, change).await?;
        }
        self.set_members(caller, group.id, had, want).await?;
        self.get_group(caller, gid).await
    }

    async fn set_members(
        &self,
        caller: &Caller,
        gid: GroupId,
        had: &BTreeSet<UserId>,
        want: &BTreeSet<UserId>,
    ) -> Result<()> {
        let added: Vec<(UserId, GroupId)> = want.difference(had).map(|u| (*u, gid)).collect();
        for chunk in added.chunks(crate::groups::MAX_ASSIGNMENTS) {
            self.assign(caller, chunk.to_vec()).await?;
        }
        for uid in had.difference(want) {
            match self.unassign(caller, *uid, gid).await {
                // Gone already (removed meanwhile): what was wanted.
                Ok(()) | Err(Error::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The user ids (of this account) among `ids`; others are `NotFound`.
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
