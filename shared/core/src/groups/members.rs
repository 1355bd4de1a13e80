//! Membership: assign, unassign, a group's members, a user's groups.

use std::collections::{HashMap, HashSet};

use serde_json::json;

use crate::clock::now_ms;
use crate::domain::{fold, AccountId, GroupId, MembershipId, UserId};
use crate::error::{Error, Result};
use crate::paging::{self, Page, PageRequest};
use crate::policy;
use crate::ports::{Cond, Index, Query};
use crate::repo::audit::Target;
use crate::repo::codec::from_item;
use crate::repo::groups::{self, Group, Membership};
use crate::repo::{keys, User};
use crate::roster::{OpId, Tx};
use crate::users::{Caller, UserRef};
use crate::Roster;

use super::manage::NOT_FOUND;

/// Most pairs one `group/assign` takes.
pub const MAX_ASSIGNMENTS: usize = 100;
/// Most ops in one transaction (DynamoDB's limit).
const MAX_OPS: usize = 100;
/// Times a chunk is built again after a user changed under it.
const ROUNDS: usize = 8;

/// What `group/assign` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Assigned {
    pub assigned: usize,
    /// Pairs that existed already (or were listed twice).
    pub skipped: usize,
}

impl Roster {
    /// Puts users in groups: one transaction where the limits allow, else
    /// chunks that each succeed or fail whole. Existing pairs are skipped.
    pub async fn assign(&self, caller: &Caller, pairs: Vec<(UserId, GroupId)>) -> Result<Assigned> {
        policy::require_admin(&caller.user)?;
        if pairs.len() > MAX_ASSIGNMENTS {
            return Err(Error::invalid(
                "assignments",
                format!("at most {MAX_ASSIGNMENTS} assignments a call"),
            ));
        }
        let aid = caller.user.account_id;
        let mut seen = HashSet::new();
        let mut done = Assigned::default();
        let mut pending = Vec::new();
        for pair in pairs {
            if seen.insert(pair) {
                pending.push(pair);
            } else {
                done.skipped += 1;
            }
        }
        let gids: Vec<GroupId> = distinct(pending.iter().map(|p| p.1));
        let found = self.groups_by_id(aid, &gids).await?;
        let names: HashMap<GroupId, String> = found.into_iter().map(|g| (g.id, g.name)).collect();
        if gids.iter().any(|g| !names.contains_key(g)) {
            return Err(Error::NotFound(NOT_FOUND));
        }
        let uids: Vec<UserId> = distinct(pending.iter().map(|p| p.0));
        let mut users = self.users_by_id(aid, &uids).await?;
        if uids.iter().any(|u| !users.contains_key(u)) {
            return Err(Error::NotFound("no such user"));
        }
        let mut pending = pending.into_iter().peekable();
        loop {
            let mut chunk = Vec::new();
            while let Some(&(u, g)) = pending.peek() {
                if holds(&users[&u], g) {
                    done.skipped += 1;
                    pending.next();
                    continue;
                }
                let mut next = chunk.clone();
                next.push((u, g));
                if ops_for(&next) > MAX_OPS && !chunk.is_empty() {
                    break;
                }
                chunk = next;
                pending.next();
            }
            if chunk.is_empty() {
                return Ok(done);
            }
            let (added, skipped) = self.assign_chunk(caller, chunk, &mut users, &names).await?;
            done.assigned += added;
            done.skipped += skipped;
        }
    }

    /// Writes one chunk, building it again from the users as they stand
    /// when one of them was written meanwhile.
    async fn assign_chunk(
        &self,
        caller: &Caller,
        mut chunk: Vec<(UserId, GroupId)>,
        users: &mut HashMap<UserId, User>,
        names: &HashMap<GroupId, String>,
    ) -> Result<(usize, usize)> {
        let aid = caller.user.account_id;
        let mut skipped = 0;
        for _ in 0..ROUNDS {
            let before = chunk.len();
            chunk.retain(|(u, g)| !holds(&users[u], *g));
            skipped += before - chunk.len();
            if chunk.is_empty() {
                return Ok((0, skipped));
            }
            let now = now_ms();
            let mut tx = Tx::new();
            let mut changed: HashMap<UserId, User> = HashMap::new();
            let mut counts: HashMap<GroupId, i64> = HashMap::new();
            for (u, g) in &chunk {
                let user = changed.entry(*u).or_insert_with(|| users[u].clone());
                user.groups.push(g.to_string());
                let m = Membership {
                    id: MembershipId::new(),
                    group_id: *g,
                    user_id: *u,
                    created: now,
                };
                tx.push(m.insert_op(user)?);
                *counts.entry(*g).or_default() += 1;
            }
            let mut user_ops: Vec<(OpId, UserId)> = Vec::new();
            for (uid, user) in changed.iter_mut() {
                user_ops.push((tx.push(user.groups_op(now)), *uid));
            }
            let mut group_ops = Vec::new();
            for (gid, n) in &counts {
                group_ops.push(tx.push(groups::count_op(aid, *gid, *n)));
            }
            let pairs: Vec<_> = chunk
                .iter()
                .map(|(u, g)| json!({"userId": u.to_string(), "groupId": g.to_string()}))
                .collect();
            tx.push(self.audit_for(
                caller,
                "group/assign",
                chunk_target(aid, &counts, names),
                json!({"assignments": pairs}),
            )?);
            match self.transact(tx).await? {
                Ok(()) => {
                    users.extend(changed);
                    return Ok((chunk.len(), skipped));
                }
                Err(rejected) => {
                    if group_ops.contains(&rejected.op) {
                        return Err(Error::NotFound(NOT_FOUND));
                    }
                    match user_ops.iter().find(|(op, _)| *op == rejected.op) {
                        Some((_, uid)) => match rejected.current {
                            Some(item) => {
                                users.insert(*uid, User::from_item(item)?);
                            }
                            None => return Err(Error::NotFound("no such user")),
                        },
                        None => {
                            return Err(Error::conflict(
                                "assignments",
                                "the memberships changed meanwhile; try again",
                            ))
                        }
                    }
                }
            }
        }
        Err(Error::Unavailable(
            "too many changes at once to these users; try again".into(),
        ))
    }

    /// Takes a user out of a group.
    pub async fn unassign(&self, caller: &Caller, uid: UserId, gid: GroupId) -> Result<()> {
        self.unassign_if(caller, uid, gid, None).await
    }

    /// Removes the membership with id `mid` (the replaced APIs name one so):
    /// only that membership — if it was removed and the pair assigned again
    /// meanwhile, the new one stays and this is `NotFound`.
    pub async fn unassign_membership(&self, caller: &Caller, mid: MembershipId) -> Result<()> {
        policy::require_admin(&caller.user)?;
        let (uid, gid) = self.membership_by_id(caller, mid).await?;
        self.unassign_if(caller, uid, gid, Some(mid)).await
    }

    async fn unassign_if(
        &self,
        caller: &Caller,
        uid: UserId,
        gid: GroupId,
        mid: Option<MembershipId>,
    ) -> Result<()> {
        policy::require_admin(&caller.user)?;
        let aid = caller.user.account_id;
        let user = self.find_user(caller, &UserRef::Id(uid)).await?;
        let group = self.get_group(caller, gid).await?;
        let not_member = || Error::NotFound("this user is not in this group");
        // The membership's delete: the same op of every round's transaction.
        let membership = std::sync::OnceLock::new();
        self.change_user(
            &user,
            |u, tx| {
                if !holds(u, gid) {
                    return Err(not_member());
                }
                u.groups.retain(|g| *g != gid.to_string());
                let delete = groups::delete_membership_op(aid, gid, u.id);
                let op = tx.push(match mid {
                    Some(mid) => delete.when(Cond::Eq("id".into(), mid.to_string().into())),
                    None => delete,
                });
                let _ = membership.set(op);
                tx.push(groups::count_op(aid, gid, -1));
                let detail = json!({"userId": u.id.to_string(), "email": u.email.as_str()});
                let target = Target::group(&gid.to_string(), &group.name);
                tx.push(self.audit_for(caller, "group/unassign", target, detail)?);
                Ok(())
            },
            |failed| {
                if membership.get() == Some(&failed) {
                    Some(not_member())
                } else {
                    Some(Error::NotFound(NOT_FOUND))
                }
            },
        )
        .await?;
        Ok(())
    }

    /// A group's members in e-mail order; `query` is a lower-cased prefix of
    /// the e-mail, the full name or the last name. One Query of the group's
    /// memberships per page, and one batch read of their users.
    pub async fn group_members(
        &self,
        caller: &Caller,
        gid: GroupId,
        query: Option<String>,
        req: &PageRequest,
    ) -> Result<Page<User>> {
        let aid = caller.user.account_id;
        self.get_group(caller, gid).await?;
        let mut q = Query::new(Index::Gs1, keys::members_gs1pk(aid, &gid.to_string()));
        if let Some(text) = &query {
            q.filter = Some(Cond::Or(vec![
                Cond::BeginsWith("email".into(), text.clone()),
                Cond::BeginsWith("nameLc".into(), text.clone()),
                Cond::BeginsWith("lastLc".into(), text.clone()),
            ]));
        }
        let scope = format!(
            "group/members\u{0}{aid}\u{0}{gid}\u{0}{}",
            query.as_deref().unwrap_or("")
        );
        let req = PageRequest {
            index: Index::Gs1,
            ..req.clone()
        };
        let page = paging::page(self.table.as_ref(), &self.keys, &scope, q, &req).await?;
        let members: Vec<Membership> = page
            .data
            .into_iter()
            .map(from_item)
            .collect::<Result<_>>()?;
        let uids: Vec<UserId> = members.iter().map(|m| m.user_id).collect();
        let mut users = self.users_by_id(aid, &uids).await?;
        // In the memberships' order; a user removed meanwhile is left out.
        let data = uids.iter().filter_map(|u| users.remove(u)).collect();
        Ok(Page {
            data,
            next: page.next,
            prev: page.prev,
        })
    }

    /// A user's groups in name order.
    pub async fn groups_of_user(
        &self,
        caller: &Caller,
        uid: UserId,
        req: &PageRequest,
    ) -> Result<Page<Group>> {
        let aid = caller.user.account_id;
        let user = self.find_user(caller, &UserRef::Id(uid)).await?;
        let held: HashSet<&str> = user.groups.iter().map(String::as_str).collect();
        let claims = groups::all_names(self.table.as_ref(), aid).await?;
        let sorted: Vec<(String, GroupId)> = claims
            .into_iter()
            .filter(|c| held.contains(c.group_id.to_string().as_str()))
            .map(|c| (fold(&c.name), c.group_id))
            .collect();
        let scope = format!("group/ofUser\u{0}{aid}\u{0}{uid}");
        let page = paging::page_sorted(&self.keys, &scope, sorted, req)?;
        let found = self.groups_by_id(aid, &page.data).await?;
        Ok(Page {
            data: found,
            next: page.next,
            prev: page.prev,
        })
    }

    /// The names of the account's groups by id: one Query, however many
    /// users a page holds (`user/find {details}`).
    pub async fn group_names(&self, caller: &Caller) -> Result<HashMap<String, String>> {
        let claims = groups::all_names(self.table.as_ref(), caller.user.account_id).await?;
        Ok(claims
            .into_iter()
            .map(|c| (c.group_id.to_string(), c.name))
            .collect())
    }
}

fn holds(user: &User, gid: GroupId) -> bool {
    let id = gid.to_string();
    user.groups.contains(&id)
}

fn distinct<T: Copy + Eq + std::hash::Hash>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    items.filter(|i| seen.insert(*i)).collect()
}

/// Ops a chunk of pairs needs: a membership each, each user and each group
/// once, and the audit entry.
fn ops_for(chunk: &[(UserId, GroupId)]) -> usize {
    let users = distinct(chunk.iter().map(|p| p.0)).len();
    let groups = distinct(chunk.iter().map(|p| p.1)).len();
    chunk.len() + users + groups + 1
}

/// The target of a chunk's audit entry: its group, when it has one.
fn chunk_target(
    aid: AccountId,
    counts: &HashMap<GroupId, i64>,
    names: &HashMap<GroupId, String>,
) -> Target {
    match counts.keys().next() {
        Some(gid) if counts.len() == 1 => Target::group(
            &gid.to_string(),
            names.get(gid).map(String::as_str).unwrap_or(""),
        ),
        _ => Target::account(aid, ""),
    }
}
