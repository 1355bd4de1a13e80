//! `Roster`: the ports and settings every use case runs on, and `Tx`, the
//! transaction builder every write goes through.

use std::sync::Arc;

use crate::auth::{HostedUi, Keys};
use crate::clock::next_ulid;
use crate::error::{Error, Result};
use crate::ports::{Identity, Item, Mailer, Op, Table, TableError};

/// Settings the use cases need (built once from flags or env at start-up).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base of links in e-mails, without a trailing slash.
    pub public_url: String,
    /// Whether `user/login` `{register: true, …}` may create accounts.
    pub open_registration: bool,
    /// The issuer named in TOTP enrolment URIs (`otpauth://totp/<issuer>:…`).
    pub mfa_issuer: String,
}

impl Settings {
    /// The settings of a server at `public_url`, everything else default.
    pub fn new(public_url: impl Into<String>) -> Settings {
        Settings {
            public_url: public_url.into(),
            open_registration: false,
            mfa_issuer: DEFAULT_MFA_ISSUER.into(),
        }
    }
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpId(usize);

/// A transaction being built. Each op's place comes back from [`Tx::push`],
/// so what a failed condition means is named where the op is made, never by
/// its position (inserting an op can't silently change it).
#[derive(Debug, Default)]
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
            Err(rejected) => Err(on_condition(rejected.op).unwrap_or_else(|| {
                Error::from(TableError::Condition {
                    op_index: rejected.op.0,
                    current: None,
                })
            })),
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

    /// A link to one of roster's pages, with a token.
    pub fn link(&self, page: &str, token: &str) -> String {
        format!("{}/{page}?token={token}", self.settings.public_url)
    }

    /// The link an invitee (or a new registrant) follows.
    pub fn invite_url(&self, token: &str) -> String {
        self.link("signup", token)
    }
}
