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
mod plan;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use crate::domain::{Email, GroupName, Name, Role, UserId};
use crate::error::{Error, Result};
use crate::policy;
use crate::ports::Mail;
use crate::users::{mail_not_sent, Caller};
use crate::Roster;

/// Most rows one `group/import` takes.
pub const MAX_ROWS: usize = 200;
/// Most groups one row names: with its user, memberships and new groups, a
/// row always fits one transaction.
pub const MAX_ROW_GROUPS: usize = 30;
/// Times the import reads again after a transaction was refused.
const ROUNDS: usize = 8;
/// Invite mails sent at once.
const MAILS_AT_ONCE: usize = 8;
/// No transaction starts after this long, and mails stop being waited for
/// after [`MAIL_BUDGET`]: the write function has 29 s (API Gateway waits 30),
/// and rows not reached answer `UNAVAILABLE`, so the client runs the import
/// again (rows done are skipped) rather than losing the answer.
const WRITE_BUDGET: Duration = Duration::from_secs(18);
const MAIL_BUDGET: Duration = Duration::from_secs(25);
/// Times one row's own write may be refused (its user changed meanwhile)
/// before the row fails alone with `CONFLICT`.
const STRIKES: usize = 2;

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

impl Roster {
    /// Imports `rows` (each already parsed, or the error that refused it):
    /// one outcome per row, in order.
    pub async fn import<E: From<Error>>(
        &self,
        caller: &Caller,
        rows: Vec<Result<ImportRow, E>>,
    ) -> Result<Vec<RowOutcome<E>>> {
        policy::require_admin(&caller.user)?;
        check_count(rows.len())?;
        let started = Instant::now();
        let mut outcomes: Vec<Option<RowOutcome<E>>> = Vec::with_capacity(rows.len());
        let mut pending: Vec<(usize, ImportRow)> = Vec::new();
        let mut first_row: HashMap<Email, usize> = HashMap::new();
        for (i, row) in rows.into_iter().enumerate() {
            let checked = row.and_then(|r| match check_row(&r, &first_row) {
                Ok(()) => Ok(r),
                Err(e) => Err(E::from(e)),
            });
            match checked {
                Ok(r) => {
                    first_row.insert(r.email.clone(), i);
                    pending.push((i, r));
                    outcomes.push(None);
                }
                Err(e) => outcomes.push(Some(RowOutcome::failed(e))),
            }
        }
        let mut mails = Vec::new();
        let mut strikes: HashMap<usize, usize> = HashMap::new();
        let mut stopped = None;
        let mut wrote = false;
        for _ in 0..ROUNDS {
            if pending.is_empty() {
                break;
            }
            let progress = match self.import_state(caller, &pending).await {
                Ok(seen) => self.write_plan(caller, &pending, &seen, started).await,
                Err(e) => plan::Progress {
                    stopped: Some(e),
                    ..Default::default()
                },
            };
            wrote |= progress.wrote;
            for (i, outcome, mail) in progress.done {
                outcomes[i] = Some(outcome.map_err(E::from));
                mails.extend(mail.map(|m| (i, m)));
            }
            if let Some(i) = progress.refused_row {
                let n = strikes.entry(i).or_default();
                *n += 1;
                if *n >= STRIKES {
                    outcomes[i] = Some(RowOutcome::failed(E::from(Error::conflict(
                        "email",
                        "this user changed while the import ran; run the import again",
                    ))));
                }
            }
            pending.retain(|(i, _)| outcomes[*i].is_none());
            if progress.stopped.is_some() {
                stopped = progress.stopped;
                break;
            }
        }
        if let Some(e) = stopped {
            if !wrote {
                // Nothing was written: the call fails as a whole.
                return Err(e);
            }
            tracing::error!(error = %e, "import stopped before its last rows");
        }
        for (i, _) in pending {
            outcomes[i] = Some(RowOutcome::failed(E::from(Error::Unavailable(
                "the import stopped before this row (too many changes at once, or the \
                 store failed); run it again: rows done are skipped"
                    .into(),
            ))));
        }
        for i in self.send_import_mails(mails, started + MAIL_BUDGET).await {
            if let Some(Some(outcome)) = outcomes.get_mut(i) {
                outcome.error = Some(E::from(mail_not_sent()));
            }
        }
        outcomes
            .into_iter()
            .map(|o| o.ok_or_else(|| Error::Internal("an import row has no outcome".into())))
            .collect()
    }

    /// Sends the invite mails, a few at a time, until `deadline`. Returns
    /// the rows whose mail was not sent (failed, or not answered in time):
    /// their invites stand, and `user/resendInvite` sends them.
    async fn send_import_mails(&self, mails: Vec<(usize, Mail)>, deadline: Instant) -> Vec<usize> {
        let mut unsent: HashSet<usize> = mails.iter().map(|(i, _)| *i).collect();
        let sending = async {
            let mut tasks = tokio::task::JoinSet::new();
            let mut queue = mails.into_iter();
            loop {
                while tasks.len() < MAILS_AT_ONCE {
                    let Some((i, mail)) = queue.next() else { break };
                    let mailer = self.mailer.clone();
                    tasks.spawn(async move { (i, mailer.send(&mail).await) });
                }
                match tasks.join_next().await {
                    None => return,
                    Some(Ok((i, Ok(())))) => {
                        unsent.remove(&i);
                    }
                    Some(Ok((_, Err(e)))) => tracing::error!(error = %e, "invite e-mail not sent"),
                    Some(Err(e)) => tracing::error!(error = %e, "invite e-mail task failed"),
                }
            }
        };
        let deadline = tokio::time::Instant::from_std(deadline);
        if tokio::time::timeout_at(deadline, sending).await.is_err() {
            tracing::error!("invite e-mails not all sent in time");
        }
        let mut rows: Vec<usize> = unsent.into_iter().collect();
        rows.sort_unstable();
        rows
    }
}

/// The number of rows one call takes.
pub fn check_count(rows: usize) -> Result<()> {
    if rows > MAX_ROWS {
        return Err(Error::invalid(
            "rows",
            format!("at most {MAX_ROWS} rows a call"),
        ));
    }
    Ok(())
}

/// The rules on a row alone: its number of groups, and its e-mail not in
/// an earlier valid row (`first_row`: the row each e-mail came first in).
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
