//! Removing memberships in bulk: those of a removed group, and those of a
//! user about to be removed.
//!
//! A removed group is gone from every read the moment its own transaction
//! commits (the group, its name claim and a `PURGE#<gid>` marker). Its
//! memberships are then removed in chunks, each chunk removing memberships
//! and the group's id from their users in one transaction. If that is cut
//! short, the marker stays, and the next `group/remove` in the account
//! resumes it. Until then the leftovers are invisible: every read of a
//! membership goes through the group or its name claim, both gone.

use std::collections::HashMap;

use crate::clock::now_ms;
use crate::domain::{AccountId, GroupId, UserId};
use crate::error::{Error, Result};
use crate::ports::{Index, Query, SortKey};
use crate::repo::codec::from_item;
use crate::repo::groups::{self, Membership};
use crate::repo::{keys, User};
use crate::roster::Tx;
use crate::Roster;

/// Memberships one transaction removes (each with its user: 2 ops).
const CHUNK: usize = 40;
/// Chunks one purge runs before it gives up for now (the marker stays).
const MAX_ROUNDS: usize = 1_000;

impl Roster {
    /// Finishes removing the memberships of every removed group of `aid`.
    pub(crate) async fn purge_groups(&self, aid: AccountId) -> Result<()> {
        let mut q = Query::new(Index::Primary, keys::account_pk(aid));
        q.sk = Some(SortKey::BeginsWith("PURGE#".into()));
        q.consistent = true;
        let markers = self.table.query(&q).await?.items;
        for marker in markers {
            let gid = marker
                .get("groupId")
                .and_then(|v| v.as_str())
                .map(GroupId::parse)
                .transpose()?;
            if let Some(gid) = gid {
                self.purge_group(aid, gid).await?;
            }
        }
        Ok(())
    }

    async fn purge_group(&self, aid: AccountId, gid: GroupId) -> Result<()> {
        let table = self.table.as_ref();
        for _ in 0..MAX_ROUNDS {
            let mut q = Query::new(Index::Primary, keys::account_pk(aid));
            q.sk = Some(SortKey::BeginsWith(format!("MEMBER#{gid}#")));
            q.consistent = true;
            q.limit = Some(CHUNK);
            let page = table.query(&q).await?;
            let last = page.last_key.is_none();
            let found = page.items;
            let marker = || crate::ports::Op::delete(keys::group_purge(aid, &gid.to_string()));
            if found.is_empty() {
                let mut tx = Tx::new();
                tx.push(marker());
                return self.write(tx, |_| None).await;
            }
            let members: Vec<Membership> =
                found.into_iter().map(from_item).collect::<Result<_>>()?;
            let uids: Vec<UserId> = members.iter().map(|m| m.user_id).collect();
            let users = self.users_by_id(aid, &uids).await?;
            let mut tx = Tx::new();
            let now = now_ms();
            for m in &members {
                tx.push(groups::delete_membership_op(aid, gid, m.user_id));
                if let Some(user) = users.get(&m.user_id) {
                    let mut user = user.clone();
                    user.groups.retain(|g| *g != gid.to_string());
                    tx.push(user.groups_op(now));
                }
            }
            if last {
                // The last chunk: the group is done with.
                tx.push(marker());
            }
            // A user written meanwhile fails the chunk; the next round reads again.
            match self.transact(tx).await? {
                Ok(()) if last => return Ok(()),
                Ok(()) => {}
                Err(rejected) => {
                    tracing::debug!(?rejected.op, "purge chunk raced a write; reading again")
                }
            }
        }
        Err(Error::Unavailable(
            "the group is removed; its memberships are still being removed".into(),
        ))
    }

    /// Users of `aid` by id, read in batches; missing ones are left out.
    pub(crate) async fn users_by_id(
        &self,
        aid: AccountId,
        uids: &[UserId],
    ) -> Result<HashMap<UserId, User>> {
        let keys: Vec<_> = uids.iter().map(|u| keys::user(aid, *u)).collect();
        let items = groups::get_all(self.table.as_ref(), &keys).await?;
        items
            .into_iter()
            .map(|i| User::from_item(i).map(|u| (u.id, u)))
            .collect()
    }

    /// Takes `user` out of its groups, in chunks, before it is removed (a
    /// user in more groups than one transaction holds). Returns the user as
    /// it now stands.
    pub(crate) async fn leave_groups(&self, user: &User, keep: usize) -> Result<User> {
        let mut user = user.clone();
        let aid = user.account_id;
        while user.groups.len() > keep {
            let taken: Vec<String> = user.groups.iter().take(CHUNK).cloned().collect();
            let gids: Vec<GroupId> = taken
                .iter()
                .filter_map(|g| GroupId::parse(g).ok())
                .collect();
            let existing = self.groups_by_id(aid, &gids).await?;
            let (next, ()) = self
                .change_user(
                    &user,
                    |u, tx| {
                        for gid in &gids {
                            let id = gid.to_string();
                            if u.groups.contains(&id) {
                                tx.push(groups::delete_membership_op(aid, *gid, u.id));
                                if existing.iter().any(|g| g.id == *gid) {
                                    tx.push(groups::count_op(aid, *gid, -1));
                                }
                            }
                        }
                        u.groups.retain(|g| !taken.contains(g));
                        Ok(())
                    },
                    |_| None,
                )
                .await?;
            user = next;
        }
        Ok(user)
    }
}
