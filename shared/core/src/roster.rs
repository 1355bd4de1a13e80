//! `Roster`: the ports and settings every use case runs on, and `Tx`, the
//! transaction builder every write goes through.

use std::sync::Arc;

use crate::auth::{HostedUi, Keys};
use crate::clock::next_ulid;
use crate::domain::AccountId;
use crate::error::{Error, Result};
use crate::ports::{Identity, Item, Mailer, Op, Table, TableError};
use crate::repo::accounts::{self, Counts};
use crate::repo::audit::{Actor, Entry, Target};
use crate::repo::{keys, User};

/// Settings the use cases need (built once from flags or env at start-up).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base of links in e-mails, without a trailing slash.
    pub public_url: String,
    /// Whether `user/login` `{register: true, …}` may create accounts.
    pub open_registration: bool,
    /// The plan accounts made by open registration start on: a plan's name,
    /// or a custom plan's JSON (checked with `plans::parse` at start-up).
    pub registration_plan: String,
    /// The issuer named in TOTP enrolment URIs (`otpauth://totp/<issuer>:…`).
    pub mfa_issuer: String,
    /// Days an audit entry is kept (`--audit-days`).
    pub audit_days: i64,
    /// How long an invite's link works, in ms (`--invite-ttl`).
    pub invite_ttl_ms: i64,
}

impl Settings {
    /// The settings of a server at `public_url`, everything else default.
    pub fn new(public_url: impl Into<String>) -> Settings {
        Settings {
            public_url: public_url.into(),
            open_registration: false,
            registration_plan: crate::plans::DEFAULT_PLAN.into(),
            mfa_issuer: DEFAULT_MFA_ISSUER.into(),
            audit_days: DEFAULT_AUDIT_DAYS,
            invite_ttl_ms: crate::repo::tokens::INVITE_TTL_MS,
        }
    }
}

/// `--audit-days`' default.
pub const DEFAULT_AUDIT_DAYS: i64 = 365;

/// `--mfa-issuer`'s default.
pub const DEFAULT_MFA_ISSUER: &str = "roster";

#[derive(Clone)]
pub struct Roster {
    pub table: Arc<dyn Table>,
    pub mailer: Arc<dyn Mailer>,
    pub identity: Arc<dyn Identity>,
    pub keys: Arc<Keys>,
    pub settings: Arc<Settings>,
    /// Verifies hosted-UI id tokens for `user/login`; `None` refuses them
    /// (the embedded backend has no user pool).
    pub hosted_ui: Option<Arc<HostedUi>>,
}

/// The name of one op in a [`Tx`]: what [`Tx::push`] hands back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpId(usize);

/// A transaction being built. Each op's place comes back from [`Tx::push`],
/// so what a failed condition means is named where the op is made, never by
/// its position (inserting an op can't silently change it).
#[derive(Debug, Clone, Default)]
pub struct Tx {
    ops: Vec<Op>,
}

impl Tx {
    pub fn new() -> Tx {
        Tx::default()
    }

    /// Adds an op and names it.
    pub fn push(&mut self, op: Op) -> OpId {
        self.ops.push(op);
        OpId(self.ops.len() - 1)
    }

    /// Adds ops whose failure needs no name of its own.
    pub fn extend(&mut self, ops: impl IntoIterator<Item = Op>) {
        self.ops.extend(ops);
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// A transaction refused because the condition of `op` failed: nothing was
/// written. `current` is the item as it stood (DynamoDB's `ALL_OLD`).
#[derive(Debug)]
pub struct Rejected {
    pub op: OpId,
    pub current: Option<Item>,
}

/// A failed condition no use case named.
fn unnamed(op: OpId) -> Error {
    Error::from(TableError::Condition {
        op_index: op.0,
        current: None,
    })
}

impl Roster {
    /// Runs one logical write. A failed condition is handed to `on_condition`
    /// with the op that failed, to name the domain outcome; what it does not
    /// name becomes the generic mapping of [`Error::from`].
    pub(crate) async fn write(
        &self,
        tx: Tx,
        on_condition: impl Fn(OpId) -> Option<Error>,
    ) -> Result<()> {
        match self.transact(tx).await? {
            Ok(()) => Ok(()),
            Err(rejected) => Err(on_condition(rejected.op).unwrap_or_else(|| unnamed(rejected.op))),
        }
    }

    /// [`Roster::write`] for a write that fills or frees `counts` seats or
    /// groups: the account's counters move in the same transaction, under the
    /// condition that none goes below zero. That failure is `LIMIT_REACHED`,
    /// naming what ran out; an account that predates per-kind plans is
    /// migrated and the write run again.
    pub(crate) async fn write_counted(
        &self,
        aid: AccountId,
        mut tx: Tx,
        counts: Counts,
        on_condition: impl Fn(OpId) -> Option<Error>,
    ) -> Result<()> {
        if counts.is_zero() {
            return self.write(tx, on_condition).await;
        }
        let counters = tx.push(accounts::counters_op(aid, counts));
        let mut migrated = false;
        loop {
            match self.transact(tx.clone()).await? {
                Ok(()) => return Ok(()),
                Err(rejected) if rejected.op == counters => {
                    let current = match rejected.current {
                        Some(item) => Some(item),
                        None => self.table.get(&keys::account(aid), true).await?,
                    };
                    if !migrated && current.as_ref().is_some_and(accounts::is_legacy) {
                        accounts::migrate(self.table.as_ref(), aid).await?;
                        migrated = true;
                        continue;
                    }
                    return Err(accounts::limit_error(counts, current.as_ref()));
                }
                Err(rejected) => {
                    return Err(on_condition(rejected.op).unwrap_or_else(|| unnamed(rejected.op)))
                }
            }
        }
    }

    /// Runs one logical write and hands a failed condition back as data, for
    /// callers that decide again from the item as it stands.
    pub(crate) async fn transact(&self, tx: Tx) -> Result<std::result::Result<(), Rejected>> {
        let token = next_ulid().to_string();
        match self.table.transact(tx.ops, &token).await {
            Ok(()) => Ok(Ok(())),
            Err(TableError::Condition { op_index, current }) => Ok(Err(Rejected {
                op: OpId(op_index),
                current: current.map(|b| *b),
            })),
            Err(e) => Err(e.into()),
        }
    }

    /// An audit entry of `actor` doing `action` to `target`, as the op that
    /// writes it in the transaction of the change.
    pub(crate) fn audit(
        &self,
        actor: &User,
        action: &'static str,
        target: Target,
        detail: serde_json::Value,
    ) -> Result<Op> {
        self.audit_by(actor.account_id, Actor::user(actor), action, target, detail)
    }

    /// [`Roster::audit`] of what a caller did: a signed-in user, or a SCIM
    /// token acting for its account (`Caller::actor`).
    pub(crate) fn audit_for(
        &self,
        caller: &crate::users::Caller,
        action: &'static str,
        target: Target,
        detail: serde_json::Value,
    ) -> Result<Op> {
        let aid = caller.user.account_id;
        self.audit_by(aid, caller.actor.clone(), action, target, detail)
    }

    /// [`Roster::audit`] for any actor, in account `aid`'s log.
    pub(crate) fn audit_by(
        &self,
        aid: AccountId,
        actor: Actor,
        action: &'static str,
        target: Target,
        detail: serde_json::Value,
    ) -> Result<Op> {
        Entry::new(actor, action, target, detail, self.settings.audit_days).insert_op(aid)
    }

    /// A link to one of roster's pages, with a token.
    pub fn link(&self, page: &str, token: &str) -> String {
        format!("{}/{page}?token={token}", self.settings.public_url)
    }

    /// The link an invitee (or a new registrant) follows.
    pub fn invite_url(&self, token: &str) -> String {
        self.link("signup", token)
    }
}
