//! What a membership copies from its user (e-mail and names, which
//! `group/members` sorts and searches by), kept up to date when they change.
//!
//! A user in up to [`IN_ONE_TX`] groups has its copies rewritten in the
//! transaction that changes it. Beyond that they are rewritten right after,
//! in chunks, each conditional on the user's version: when the user changed
//! again meanwhile, the refresh starts over from the user as it now stands,
//! so the last write's values are the ones that stay.

use crate::error::Result;
use crate::ports::{Cond, Op};
use crate::repo::groups;
use crate::repo::{keys, User};
use crate::roster::Tx;
use crate::Roster;

/// Groups whose copies fit the user's own transaction.
pub(crate) const IN_ONE_TX: usize = 40;
/// Copies rewritten per chunk (plus the check on the user's version).
const CHUNK: usize = 99;
/// Times a refresh starts over after the user changed.
const ROUNDS: usize = 8;

/// The ops that refresh `user`'s copies inside the write that changes it,
/// when they fit; otherwise none, and [`Roster::refresh_copies`] does it.
pub(crate) fn copies_in_tx(user: &User) -> Vec<Op> {
    if user.groups.len() <= IN_ONE_TX {
        groups::refresh_ops(user)
    } else {
        Vec::new()
    }
}

impl Roster {
    /// Once `user` is written, refreshes the copies [`copies_in_tx`] left
    /// out. Best effort: a failure is logged, the change itself stands.
    pub(crate) async fn refresh_copies(&self, user: &User) {
        if user.groups.len() <= IN_ONE_TX {
            return;
        }
        if let Err(e) = self.refresh_in_chunks(user.clone()).await {
            tracing::error!(error = %e, user = %user.id, "membership copies not refreshed");
        }
    }

    async fn refresh_in_chunks(&self, mut user: User) -> Result<()> {
        let key = keys::user(user.account_id, user.id);
        'round: for _ in 0..ROUNDS {
            for chunk in groups::refresh_ops(&user).chunks(CHUNK) {
                let mut tx = Tx::new();
                tx.push(Op::check(
                    key.clone(),
                    Cond::Eq("version".into(), user.version.into()),
                ));
                tx.extend(chunk.iter().cloned());
                if self.transact(tx).await?.is_err() {
                    match self.table.get(&key, true).await? {
                        Some(item) => user = User::from_item(item)?,
                        None => return Ok(()), // removed: no copies left
                    }
                    continue 'round;
                }
            }
            return Ok(());
        }
        Err(crate::Error::Unavailable(
            "the user kept changing during the refresh".into(),
        ))
    }
}
