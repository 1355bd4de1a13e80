//! Writing a user that other requests race.
//!
//! A user item is written whole, conditional on the version it was read at.
//! Most changes answer a lost race with `CONFLICT` (an admin edited the same
//! user; the client decides again). Some must not fail that way: once a
//! password has changed, its sessions *must* end; a code that completes a
//! login must be spent exactly once. Those go through [`Roster::change_user`],
//! which re-applies the change to the user as it now stands.

use crate::clock::now_ms;
use crate::error::{Error, Result};
use crate::ports::TableError;
use crate::repo::User;
use crate::roster::{OpId, Tx};
use crate::Roster;

/// Rounds of "the user changed meanwhile; apply the change again".
const ROUNDS: usize = 8;

impl Roster {
    /// Applies `change` to `user` and writes it, with the ops `change` adds
    /// to the transaction. When the user was written meanwhile, `change` runs
    /// again on the user as it now stands (from the failed condition's
    /// current item), so it can re-check what it rests on. A failed condition
    /// of another op is named by `on_condition`.
    pub(crate) async fn change_user<T>(
        &self,
        user: &User,
        mut change: impl FnMut(&mut User, &mut Tx) -> Result<T>,
        on_condition: impl Fn(OpId) -> Option<Error>,
    ) -> Result<(User, T)> {
        let mut current = user.clone();
        for _ in 0..ROUNDS {
            let mut next = current.clone();
            let mut tx = Tx::new();
            let value = change(&mut next, &mut tx)?;
            let user_op = tx.push(next.replace_op(now_ms())?);
            match self.transact(tx).await? {
                Ok(()) => return Ok((next, value)),
                Err(rejected) if rejected.op == user_op => match rejected.current {
                    Some(item) => current = User::from_item(item)?,
                    None => return Err(Error::NotFound("no such user")),
                },
                Err(rejected) => {
                    return Err(on_condition(rejected.op).unwrap_or_else(|| {
                        Error::from(TableError::Condition {
                            op_index: 0,
                            current: None,
                        })
                    }))
                }
            }
        }
        Err(Error::Unavailable(
            "too many changes at once to this user; try again".into(),
        ))
    }
}
