//! Reading what an import rests on, planning each row against it, and
//! writing the plan chunk by chunk.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use crate::domain::{fold, Email, GroupId, GroupName, UserId};
use crate::error::{Error, Result};
use crate::policy;
use crate::ports::{Key, Mail};
use crate::repo::accounts::{self, Counts};
use crate::repo::claims::{EmailClaim, Invited};
use crate::repo::codec::from_item;
use crate::repo::groups::{self as group_repo, get_all};
use crate::repo::{keys, Account, User};
use crate::users::{invite_mail, Caller};
use crate::Roster;

use super::chunk::{Chunk, Work};
use super::{ImportRow, RowOutcome, RowStatus, WRITE_BUDGET};

/// What the account holds, as the import read it.
pub(super) struct Seen {
    account: Account,
    /// Its groups by folded name: their ids and names.
    groups: HashMap<String, (GroupId, String)>,
    /// Its users among the rows' e-mails (signed up or pending).
    users: HashMap<Email, User>,
}

/// A row's plan: what to write, or why not.
enum Plan {
    Fail(Error),
    /// A member already in every group named.
    Nothing(UserId),
    Write(Box<Work>),
}

/// A row settled: its index, its outcome and, for an invite, its mail.
pub(super) type Settled = (usize, RowOutcome, Option<Mail>);

/// What one pass over the pending rows did.
#[derive(Default)]
pub(super) struct Progress {
    /// Rows settled: written, failed, or with nothing to write (those only
    /// when every chunk was written, since a refused chunk can change what
    /// the rest of the plan rests on).
    pub done: Vec<Settled>,
    /// Whether a chunk was written.
    pub wrote: bool,
    /// The row whose own write was refused (its user changed meanwhile).
    pub refused_row: Option<usize>,
    /// Why the pass stopped early, when not a refusal: the store failed, or
    /// the time for writes ran out.
    pub stopped: Option<Error>,
}

impl Roster {
    /// Reads the account, its groups' names, and which of the rows' e-mails
    /// belong to its members: one batch read of the account and the e-mail
    /// claims, one Query of the names, one batch read of the members found.
    pub(super) async fn import_state(
        &self,
        caller: &Caller,
        rows: &[(usize, ImportRow)],
    ) -> Result<Seen> {
        let aid = caller.user.account_id;
        let table = self.table.as_ref();
        let mut wanted = vec![keys::account(aid)];
        for (_, row) in rows {
            wanted.push(keys::email_claim(&row.email));
            wanted.push(keys::invited(aid, &row.email));
        }
        let mut found: HashMap<Key, _> = get_all(table, &wanted)
            .await?
            .into_iter()
            .filter_map(|item| Key::of(&item).map(|k| (k, item)))
            .collect();
        let account = accounts::required(table, aid, found.remove(&keys::account(aid))).await?;
        let mut members: HashSet<UserId> = HashSet::new();
        for (_, row) in rows {
            if let Some(item) = found.remove(&keys::email_claim(&row.email)) {
                let claim: EmailClaim = from_item(item)?;
                if claim.account_id == aid {
                    members.insert(claim.user_id);
                }
            }
            if let Some(item) = found.remove(&keys::invited(aid, &row.email)) {
                let invited: Invited = from_item(item)?;
                members.insert(invited.user_id);
            }
        }
        let uids: Vec<UserId> = members.into_iter().collect();
        let users = self
            .users_by_id(aid, &uids)
            .await?
            .into_values()
            .map(|u| (u.email.clone(), u))
            .collect();
        let groups = group_repo::all_names(table, aid)
            .await?
            .into_iter()
            .map(|c| (fold(&c.name), (c.group_id, c.name)))
            .collect();
        Ok(Seen {
            account,
            groups,
            users,
        })
    }

    /// Plans `rows` on `seen` and writes the plan chunk by chunk, until one
    /// is refused, the store fails, or the time for writes (counted from
    /// `started`) runs out.
    pub(super) async fn write_plan(
        &self,
        caller: &Caller,
        rows: &[(usize, ImportRow)],
        seen: &Seen,
        started: Instant,
    ) -> Progress {
        let mut settled = Vec::new();
        let mut works = Vec::new();
        let mut new_groups: HashMap<String, (GroupId, GroupName)> = HashMap::new();
        let mut taken = Counts::default();
        for (i, row) in rows {
            let ttl = self.settings.invite_ttl_ms;
            match plan_row(caller, row, seen, &mut new_groups, &mut taken, ttl) {
                Ok(Plan::Fail(e)) => settled.push((*i, RowOutcome::failed(e), None)),
                Ok(Plan::Nothing(uid)) => {
                    settled.push((*i, RowOutcome::done(RowStatus::Existing, uid), None))
                }
                Ok(Plan::Write(work)) => works.push((*i, *work)),
                Err(e) => settled.push((*i, RowOutcome::failed(e), None)),
            }
        }
        let creating: HashMap<GroupId, GroupName> = new_groups.into_values().collect();
        let names: HashMap<GroupId, String> = seen
            .groups
            .values()
            .cloned()
            .chain(creating.iter().map(|(id, n)| (*id, n.as_str().to_string())))
            .collect();
        let ids: HashSet<GroupId> = creating.keys().copied().collect();
        let mut progress = Progress::default();
        for chunk in Chunk::pack(works, &ids) {
            if started.elapsed() > WRITE_BUDGET {
                progress.stopped = Some(Error::Unavailable(
                    "the import ran out of time before this row; run it again".into(),
                ));
                return progress;
            }
            let built = chunk.build(self, caller, &seen.account, &creating, &names);
            let written = match built {
                Ok((tx, rows_done, owners)) => match self.transact(tx).await {
                    Ok(Ok(())) => Ok(rows_done),
                    Ok(Err(rejected)) => {
                        // Nothing of this chunk was written: the rest is
                        // planned again on what the account holds now.
                        progress.refused_row = owners.get(&rejected.op).copied();
                        return progress;
                    }
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            };
            match written {
                Ok(rows_done) => {
                    progress.wrote = true;
                    for (i, outcome, invited) in rows_done {
                        let mail = invited.map(|(user, url)| {
                            invite_mail(
                                &caller.user,
                                &user,
                                &url,
                                &seen.account,
                                self.settings.invite_ttl_ms,
                            )
                        });
                        progress.done.push((i, outcome, mail));
                    }
                }
                Err(e) => {
                    progress.stopped = Some(e);
                    return progress;
                }
            }
        }
        progress.done.extend(settled);
        progress
    }
}

/// Plans one row: the groups it joins (creating those the account lacks),
/// its invite or its existing user, within what the plan has left.
fn plan_row(
    caller: &Caller,
    row: &ImportRow,
    seen: &Seen,
    new_groups: &mut HashMap<String, (GroupId, GroupName)>,
    taken: &mut Counts,
    invite_ttl_ms: i64,
) -> Result<Plan> {
    let mut joins: Vec<GroupId> = Vec::new();
    let mut creates: Vec<(String, GroupId, GroupName)> = Vec::new();
    for name in &row.groups {
        let folded = name.folded();
        let known = seen.groups.get(&folded).map(|(id, _)| *id);
        let id = match known.or_else(|| new_groups.get(&folded).map(|(id, _)| *id)) {
            Some(id) => id,
            None => match creates.iter().find(|(f, _, _)| *f == folded) {
                Some((_, id, _)) => *id,
                None => {
                    let id = GroupId::new();
                    creates.push((folded, id, name.clone()));
                    id
                }
            },
        };
        if !joins.contains(&id) {
            joins.push(id);
        }
    }
    let existing = seen.users.get(&row.email);
    let mut wants = Counts::groups(creates.len() as i64);
    match existing {
        Some(user) => {
            joins.retain(|g| !user.groups.contains(&g.to_string()));
            if joins.is_empty() {
                return Ok(Plan::Nothing(user.id));
            }
        }
        None => {
            if let Err(e) = policy::require_grantable(&caller.user, row.role) {
                return Ok(Plan::Fail(e));
            }
            wants.add_seat(row.role, 1);
        }
    }
    let total = taken.plus(wants);
    if let Some(what) = total.overfills(&seen.account) {
        return Ok(Plan::Fail(accounts::limit_reached(what)));
    }
    *taken = total;
    for (folded, id, name) in creates {
        new_groups.insert(folded, (id, name));
    }
    let work = match existing {
        Some(user) => Work::join(user.clone(), joins),
        None => Work::invite(caller.user.account_id, row, joins, invite_ttl_ms)?,
    };
    Ok(Plan::Write(Box::new(work)))
}
