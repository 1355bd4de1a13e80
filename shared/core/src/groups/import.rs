//! `group/import`: many people into groups in one call, with a result per
//! row.
//!
//! The import reads what the account holds (its counters, its groups, which
//! of the rows' e-mails are its members already) in a few batch reads, plans
//! every row against it, and writes the plan in transactions of at most 100
//! actions, each all-or-nothing, a row never split between two. A row is
//! applied whole or fails whole. When a transaction is refused (a concurrent
//! write took a seat, a name, an e-mail or changed a user), nothing of it
//! was written: the import reads again and plans the rows not yet written,
//! so a row is never applied twice. Mails go out after the writes.
//!
//! Running the same import again finds every user and membership in place
//! and writes nothing.

mod chunk;

use std::collections::{HashMap, HashSet};

use crate::domain::{fold, Email, GroupId, GroupName, Name, Role, UserId};
use crate::error::{Error, Result};
use crate::policy;
use crate::ports::{Key, Mail};
use crate::repo::accounts::{self, Counts};
use crate::repo::claims::{EmailClaim, Invited};
use crate::repo::codec::from_item;
use crate::repo::groups::{self as group_repo, get_all};
use crate::repo::{keys, Account, User};
use crate::users::{invite_mail, mail_not_sent, Caller};
use crate::Roster;

use chunk::{Chunk, Work};

/// Most rows one `group/import` takes.
pub const MAX_ROWS: usize = 200;
/// Most groups one row names: with its user, memberships and new groups, a
/// row always fits one transaction.
pub const MAX_ROW_GROUPS: usize = 30;
/// Times the import reads again after a transaction was refused.
const ROUNDS: usize = 8;
/// Invite mails sent at once.
const MAILS_AT_ONCE: usize = 8;

/// One row: a person and the groups (by name) it belongs in.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub email: Email,
    pub first: Name,
    pub last: Name,
    pub role: Role,
    pub groups: Vec<GroupName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    /// A new pending user, invited by mail.
    Invited,
    /// A member of the account already; it kept its role and names.
    Existing,
    Failed,
}

/// What became of one row. An invited row whose mail failed holds the
/// user's id and an `Unavailable` error: `user/resendInvite` sends it again.
/// `E` is the caller's error type, so rows it refused before the import
/// (say, as malformed) keep the error it gave them.
#[derive(Debug)]
pub struct RowOutcome<E = Error> {
    pub status: RowStatus,
    pub user_id: Option<UserId>,
    pub error: Option<E>,
}

impl<E> RowOutcome<E> {
    fn failed(error: E) -> RowOutcome<E> {
        RowOutcome {
            status: RowStatus::Failed,
            user_id: None,
            error: Some(error),
        }
    }

    fn done(status: RowStatus, user_id: UserId) -> RowOutcome<E> {
        RowOutcome {
            status,
            user_id: Some(user_id),
            error: None,
        }
    }

    fn map_err<F>(self, f: impl FnOnce(E) -> F) -> RowOutcome<F> {
        RowOutcome {
            status: self.status,
            user_id: self.user_id,
            error: self.error.map(f),
        }
    }
}

/// What the account holds, as the import read it.
struct Seen {
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

impl Roster {
    /// Imports `rows` (each already parsed, or the error that refused it):
    /// one outcome per row, in order.
    pub async fn import<E: From<Error>>(
        &self,
        caller: &Caller,
        rows: Vec<Result<ImportRow, E>>,
    ) -> Result<Vec<RowOutcome<E>>> {
        policy::require_admin(&caller.user)?;
        if rows.len() > MAX_ROWS {
            return Err(Error::invalid(
                "rows",
                format!("at most {MAX_ROWS} rows a call"),
            ));
        }
        let mut outcomes: Vec<Option<RowOutcome<E>>> = Vec::with_capacity(rows.len());
        let mut valid: Vec<(usize, ImportRow)> = Vec::new();
        let mut first_row: HashMap<Email, usize> = HashMap::new();
        for (i, row) in rows.into_iter().enumerate() {
            let checked = row.and_then(|r| match check_row(&r, &first_row) {
                Ok(()) => Ok(r),
                Err(e) => Err(E::from(e)),
            });
            match checked {
                Ok(r) => {
                    first_row.insert(r.email.clone(), i);
                    valid.push((i, r));
                    outcomes.push(None);
                }
                Err(e) => outcomes.push(Some(RowOutcome::failed(e))),
            }
        }
        let mut mails = Vec::new();
        let mut pending = valid;
        for _ in 0..ROUNDS {
            if pending.is_empty() {
                break;
            }
            let seen = self.import_state(caller, &pending).await?;
            for (i, outcome, mail) in self.write_plan(caller, &pending, &seen).await? {
                outcomes[i] = Some(outcome.map_err(E::from));
                mails.extend(mail.map(|m| (i, m)));
            }
            pending.retain(|(i, _)| outcomes[*i].is_none());
        }
        for (i, _) in pending {
            outcomes[i] = Some(RowOutcome::failed(E::from(Error::Unavailable(
                "too many changes at once to this account; run the import again".into(),
            ))));
        }
        self.send_import_mails(mails, &mut outcomes).await;
        outcomes
            .into_iter()
            .map(|o| o.ok_or_else(|| Error::Internal("an import row has no outcome".into())))
            .collect()
    }

    /// Reads the account, its groups' names, and which of the rows' e-mails
    /// belong to its members: one batch read of the account and the e-mail
    /// claims, one Query of the names, one batch read of the members found.
    async fn import_state(&self, caller: &Caller, rows: &[(usize, ImportRow)]) -> Result<Seen> {
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
        let mut members: HashMap<UserId, Email> = HashMap::new();
        for (_, row) in rows {
            if let Some(item) = found.remove(&keys::email_claim(&row.email)) {
                let claim: EmailClaim = from_item(item)?;
                if claim.account_id == aid {
                    members.insert(claim.user_id, row.email.clone());
                }
            }
            if let Some(item) = found.remove(&keys::invited(aid, &row.email)) {
                let invited: Invited = from_item(item)?;
                members.insert(invited.user_id, row.email.clone());
            }
        }
        let uids: Vec<UserId> = members.keys().copied().collect();
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
    /// is refused. Returns the rows settled: written, failed, or with
    /// nothing to write (those only when every chunk was written, since a
    /// refused chunk can change what the rest of the plan rests on).
    async fn write_plan(
        &self,
        caller: &Caller,
        rows: &[(usize, ImportRow)],
        seen: &Seen,
    ) -> Result<Vec<Settled>> {
        let mut settled = Vec::new();
        let mut works = Vec::new();
        let mut new_groups: HashMap<String, (GroupId, GroupName)> = HashMap::new();
        let mut taken = Counts::default();
        for (i, row) in rows {
            match plan_row(caller, row, seen, &mut new_groups, &mut taken)? {
                Plan::Fail(e) => settled.push((*i, RowOutcome::failed(e), None)),
                Plan::Nothing(uid) => {
                    settled.push((*i, RowOutcome::done(RowStatus::Existing, uid), None))
                }
                Plan::Write(work) => works.push((*i, *work)),
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
        let mut done = Vec::new();
        for chunk in Chunk::pack(works, &ids) {
            let (tx, rows_done) = chunk.build(self, caller, &seen.account, &creating, &names)?;
            if self.transact(tx).await?.is_err() {
                // Nothing of this chunk was written: the rest is planned
                // again on what the account holds now.
                return Ok(done);
            }
            for (i, outcome, invited) in rows_done {
                let mail = invited
                    .map(|(user, url)| invite_mail(&caller.user, &user, &url, &seen.account));
                done.push((i, outcome, mail));
            }
        }
        done.extend(settled);
        Ok(done)
    }

    /// Sends the invite mails, a few at a time; a row whose mail failed says
    /// so and keeps its invite.
    async fn send_import_mails<E: From<Error>>(
        &self,
        mails: Vec<(usize, Mail)>,
        outcomes: &mut [Option<RowOutcome<E>>],
    ) {
        let mut sending = tokio::task::JoinSet::new();
        let mut queue = mails.into_iter();
        loop {
            while sending.len() < MAILS_AT_ONCE {
                let Some((i, mail)) = queue.next() else { break };
                let mailer = self.mailer.clone();
                sending.spawn(async move { (i, mailer.send(&mail).await) });
            }
            let Some(joined) = sending.join_next().await else {
                return;
            };
            let failed = match joined {
                Ok((_, Ok(()))) => None,
                Ok((i, Err(e))) => {
                    tracing::error!(error = %e, "invite e-mail not sent");
                    Some(i)
                }
                Err(e) => {
                    tracing::error!(error = %e, "invite e-mail task failed");
                    None
                }
            };
            if let Some(Some(outcome)) = failed.and_then(|i| outcomes.get_mut(i)) {
                outcome.error = Some(E::from(mail_not_sent()));
            }
        }
    }
}

/// A row settled by one [`Roster::write_plan`]: its index, its outcome
/// and, for an invite, its mail.
type Settled = (usize, RowOutcome, Option<Mail>);

/// The rules on a row alone: its number of groups, and its e-mail not in
/// an earlier row (`first_row`: the row each e-mail came first in).
fn check_row(row: &ImportRow, first_row: &HashMap<Email, usize>) -> Result<()> {
    if row.groups.len() > MAX_ROW_GROUPS {
        return Err(Error::invalid(
            "groups",
            format!("at most {MAX_ROW_GROUPS} groups a row"),
        ));
    }
    match first_row.get(&row.email) {
        Some(at) => Err(Error::invalid(
            "email",
            format!("this email is in row {at} already"),
        )),
        None => Ok(()),
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
        None => Work::invite(caller.user.account_id, row, joins)?,
    };
    Ok(Plan::Write(Box::new(work)))
}
