//! Packing planned rows into transactions of at most 100 actions, and the
//! actions of one such transaction.

use std::collections::{HashMap, HashSet};

use serde_json::json;

use crate::clock::now_ms;
use crate::domain::{AccountId, GroupId, GroupName, MembershipId, UserId, UserState};
use crate::error::Result;
use crate::repo::accounts::{self, Counts};
use crate::repo::audit::Target;
use crate::repo::claims;
use crate::repo::groups::{self, Group, Membership};
use crate::repo::tokens::NewToken;
use crate::repo::{Account, User};
use crate::roster::{OpId, Tx};
use crate::users::Caller;
use crate::Roster;

use super::{ImportRow, RowOutcome, RowStatus};

/// Most actions in one transaction (DynamoDB's limit).
const MAX_OPS: usize = 100;
/// Actions every chunk has: the account's counters and the audit entry.
const FIXED_OPS: usize = 2;
/// Actions of a new user: the user, its invite claim, its token, and the
/// check that nobody took its e-mail into this account meanwhile.
const INVITE_OPS: usize = 4;

// The largest row (a new user in the most groups, all new) fits one
// transaction on its own, so packing never needs to split a row.
const _: () = assert!(FIXED_OPS + INVITE_OPS + 3 * super::MAX_ROW_GROUPS <= MAX_OPS);

/// What one row writes.
pub(super) enum Work {
    /// A new pending user, its invite claim and token, in `joins`.
    Invite {
        user: User,
        token: NewToken,
        joins: Vec<GroupId>,
    },
    /// A member, into the groups of `joins` it is not in yet.
    Join { user: User, joins: Vec<GroupId> },
}

impl Work {
    pub(super) fn invite(
        aid: AccountId,
        row: &ImportRow,
        joins: Vec<GroupId>,
        ttl_ms: i64,
    ) -> Result<Work> {
        let uid = UserId::new();
        let token = NewToken::invite(uid, aid, &row.email, ttl_ms)?;
        let mut user = User::new(
            uid,
            aid,
            row.email.clone(),
            row.role,
            UserState::Pending,
            now_ms(),
        );
        user.first = row.first.as_str().to_string();
        user.last = row.last.as_str().to_string();
        user.invite_hash = Some(token.hash.clone());
        user.groups = joins.iter().map(GroupId::to_string).collect();
        Ok(Work::Invite { user, token, joins })
    }

    pub(super) fn join(mut user: User, joins: Vec<GroupId>) -> Work {
        user.groups.extend(joins.iter().map(GroupId::to_string));
        Work::Join { user, joins }
    }

    fn joins(&self) -> &[GroupId] {
        match self {
            Work::Invite { joins, .. } | Work::Join { joins, .. } => joins,
        }
    }

    fn user(&self) -> &User {
        match self {
            Work::Invite { user, .. } | Work::Join { user, .. } => user,
        }
    }

    /// Actions for the user itself.
    fn user_ops(&self) -> usize {
        match self {
            Work::Invite { .. } => INVITE_OPS,
            Work::Join { .. } => 1,
        }
    }
}

/// A row written: its index, its outcome, and for an invite the user and
/// its link, to mail once everything is written.
pub(super) type RowDone = (usize, RowOutcome, Option<(User, String)>);

/// Rows written in one transaction, and the groups it creates or counts.
#[derive(Default)]
pub(super) struct Chunk {
    rows: Vec<(usize, Work)>,
    /// Groups this chunk creates (with their first members).
    created: Vec<GroupId>,
    /// Groups that exist already whose member count this chunk moves.
    counted: Vec<GroupId>,
    ops: usize,
}

impl Chunk {
    /// Packs rows, in order, into as few chunks as fit 100 actions each. A
    /// new group is created in the first chunk that needs it.
    pub(super) fn pack(works: Vec<(usize, Work)>, creating: &HashSet<GroupId>) -> Vec<Chunk> {
        let mut chunks = Vec::new();
        let mut made = HashSet::new();
        let mut current = Chunk::default();
        for (i, work) in works {
            if !current.rows.is_empty()
                && current.ops + current.cost(&work, creating, &made) > MAX_OPS
            {
                chunks.push(std::mem::take(&mut current));
            }
            current.add(i, work, creating, &mut made);
        }
        if !current.rows.is_empty() {
            chunks.push(current);
        }
        chunks
    }

    /// Actions `work` adds to this chunk.
    fn cost(&self, work: &Work, creating: &HashSet<GroupId>, made: &HashSet<GroupId>) -> usize {
        let fixed = if self.rows.is_empty() { FIXED_OPS } else { 0 };
        let groups: usize = work
            .joins()
            .iter()
            .map(|g| {
                if creating.contains(g) && !made.contains(g) {
                    2 // the group and its name claim
                } else if self.created.contains(g) || self.counted.contains(g) {
                    0
                } else {
                    1 // its member count
                }
            })
            .sum();
        fixed + work.user_ops() + work.joins().len() + groups
    }

    fn add(
        &mut self,
        i: usize,
        work: Work,
        creating: &HashSet<GroupId>,
        made: &mut HashSet<GroupId>,
    ) {
        self.ops += self.cost(&work, creating, made);
        for g in work.joins() {
            if creating.contains(g) && made.insert(*g) {
                self.created.push(*g);
            } else if !self.created.contains(g) && !self.counted.contains(g) {
                self.counted.push(*g);
            }
        }
        self.rows.push((i, work));
    }

    /// The chunk's transaction, what its rows become once it is written,
    /// and which row each op that only fails for its row belongs to.
    pub(super) fn build(
        self,
        roster: &Roster,
        caller: &Caller,
        account: &Account,
        creating: &HashMap<GroupId, GroupName>,
        names: &HashMap<GroupId, String>,
    ) -> Result<(Tx, Vec<RowDone>, HashMap<OpId, usize>)> {
        let aid = account.id;
        let now = now_ms();
        let mut members: HashMap<GroupId, i64> = HashMap::new();
        for g in self.rows.iter().flat_map(|(_, w)| w.joins()) {
            *members.entry(*g).or_default() += 1;
        }
        let mut tx = Tx::new();
        let mut counts = Counts::groups(self.created.len() as i64);
        for gid in &self.created {
            let Some(name) = creating.get(gid) else {
                continue;
            };
            let group = Group {
                id: *gid,
                account_id: aid,
                name: name.as_str().into(),
                description: String::new(),
                active: true,
                members: members.get(gid).copied().unwrap_or(0),
                created: now,
                updated: now,
                external_id: None,
                version: 0,
            };
            tx.push(group.insert_op()?);
            tx.push(groups::claim_op(aid, name, *gid)?);
        }
        for gid in &self.counted {
            // The group the name led to, still under that name: a rename
            // meanwhile refuses the chunk, and the rows are planned again.
            let n = members.get(gid).copied().unwrap_or(0);
            let name = names.get(gid).map(String::as_str).unwrap_or("");
            tx.push(groups::count_named_op(aid, *gid, n, name));
        }
        let mut owners = HashMap::new();
        let mut done = Vec::new();
        let mut logged = Vec::new();
        for (i, work) in self.rows {
            let joined: Vec<&str> = work
                .joins()
                .iter()
                .map(|g| names.get(g).map(String::as_str).unwrap_or(""))
                .collect();
            let status = match &work {
                Work::Invite { .. } => "invited",
                Work::Join { .. } => "existing",
            };
            let user = work.user();
            logged.push(json!({
                "row": i,
                "email": user.email.as_str(),
                "userId": user.id.to_string(),
                "status": status,
                "groups": joined,
            }));
            let memberships = work.joins().to_vec();
            let (user, outcome, mail) = match work {
                Work::Invite { user, token, .. } => {
                    tx.push(user.insert_op()?);
                    tx.push(claims::invite_op(aid, &user.email, user.id)?);
                    tx.push(claims::not_member_op(aid, &user.email));
                    tx.push(token.insert_op()?);
                    counts.add_seat(user.role, 1);
                    let url = roster.invite_url(&token.secret);
                    let outcome = RowOutcome::done(RowStatus::Invited, user.id);
                    (user.clone(), outcome, Some((user, url)))
                }
                Work::Join { mut user, .. } => {
                    owners.insert(tx.push(user.groups_op(now)), i);
                    let outcome = RowOutcome::done(RowStatus::Existing, user.id);
                    (user, outcome, None)
                }
            };
            for gid in memberships {
                let m = Membership {
                    id: MembershipId::new(),
                    group_id: gid,
                    user_id: user.id,
                    created: now,
                };
                tx.push(m.insert_op(&user)?);
            }
            done.push((i, outcome, mail));
        }
        if !counts.is_zero() {
            tx.push(accounts::counters_op(aid, counts));
        }
        let created: Vec<&str> = self
            .created
            .iter()
            .filter_map(|g| creating.get(g).map(GroupName::as_str))
            .collect();
        let detail = json!({"rows": logged, "created": created});
        let target = Target::account(aid, &account.name);
        tx.push(roster.audit_for(caller, "group/import", target, detail)?);
        Ok((tx, done, owners))
    }
}
