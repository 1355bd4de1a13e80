//! `Roster`: the ports and settings every use case runs on.

use std::sync::Arc;

use crate::auth::{HostedUi, Keys};
use crate::clock::next_ulid;
use crate::error::{Error, Result};
use crate::ports::{Identity, Mailer, Op, Table, TableError};

/// Settings the use cases need (built once from flags or env at start-up).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base of links in e-mails, without a trailing slash.
    pub public_url: String,
    /// Whether `user/login` `{register: true, …}` may create accounts.
    pub open_registration: bool,
}

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

impl Roster {
    /// Runs one logical write. A failed condition is handed to `on_condition`
    /// with the index of the op that failed, to name the domain outcome; what it
    /// does not name becomes the generic mapping of [`Error::from`].
    pub(crate) async fn write(
        &self,
        ops: Vec<Op>,
        on_condition: impl Fn(usize) -> Option<Error>,
    ) -> Result<()> {
        let token = next_ulid().to_string();
        match self.table.transact(ops, &token).await {
            Ok(()) => Ok(()),
            Err(TableError::Condition { op_index, .. }) => Err(on_condition(op_index)
                .unwrap_or_else(|| {
                    Error::from(TableError::Condition {
                        op_index,
                        current: None,
                    })
                })),
            Err(e) => Err(e.into()),
        }
    }

    /// The link an invitee follows.
    pub fn invite_url(&self, token: &str) -> String {
        format!("{}/signup?token={token}", self.settings.public_url)
    }
}
