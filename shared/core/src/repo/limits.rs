//! Attempt limits counted in the table (Lambda instances share no memory):
//! failed logins per e-mail, reset and registration mails per address.
//!
//! An attempt is *taken* before the thing it limits is tried, by one
//! conditional write that starts a window or counts one more in it only while
//! the window has room; the store, not the handler, decides who gets the last
//! one. So a burst of parallel attempts gets exactly `max` of them, and no
//! write can leave a window without its start and expiry (a plain `ADD count
//! 1` after a success deleted the item did). Keyed by the e-mail's hash,
//! whether or not a user has it: known and unknown e-mails take one path.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use crate::clock::{next_ulid, now_ms};
use crate::crypto::sha256_hex;
use crate::domain::Email;
use crate::error::Result;
use crate::ports::{Cond, Item, Key, Op, Table, TableError};

/// A limit: at most `max` attempts per `window_ms`, counted from the first.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    prefix: &'static str,
    pub max: i64,
    pub window_ms: i64,
}

/// Logins (and other checks of a password or second factor) per e-mail: 5 in
/// 15 minutes; the lock lifts when the window ends, a success clears it.
pub const LOGIN: Limit = Limit {
    prefix: "LOGINFAIL",
    max: 5,
    window_ms: 15 * 60 * 1000,
};

/// TOTP and recovery codes answered to login challenges, per e-mail: 10 in 15
/// minutes across challenges (each challenge also takes at most 5), so
/// whoever has only the password can't buy more code guesses with more
/// challenges. A completed login clears it.
pub const MFA_CODES: Limit = Limit {
    prefix: "MFACODES",
    max: 10,
    window_ms: 15 * 60 * 1000,
};

/// Password-reset mails per address: 3 an hour.
pub const RESET_MAIL: Limit = Limit {
    prefix: "RESETMAIL",
    max: 3,
    window_ms: 3600 * 1000,
};

/// Invites sent again at the invitee's own (unauthenticated) request, per
/// address: 3 an hour.
pub const INVITE_MAIL: Limit = Limit {
    prefix: "INVITEMAIL",
    max: 3,
    window_ms: 3600 * 1000,
};

/// Registration mails per address: 3 an hour.
pub const REGISTER_MAIL: Limit = Limit {
    prefix: "REGMAIL",
    max: 3,
    window_ms: 3600 * 1000,
};

/// One window of attempts, as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Window {
    count: i64,
    /// Start of the window, ms.
    since: i64,
    /// s, DynamoDB TTL.
    ttl: i64,
}

/// Rounds of "someone else wrote first; decide again" before giving up
/// (each lost round means another attempt was counted, so few are needed).
pub const ROUNDS: usize = 10;

impl Limit {
    pub fn key(&self, email: &Email) -> Key {
        let hash = sha256_hex(email.as_str().as_bytes());
        Key::new(format!("{}#{hash}", self.prefix), self.prefix)
    }

    /// Ends the window (a success clears the failures before it).
    pub fn clear_op(&self, email: &Email) -> Op {
        Op::delete(self.key(email))
    }

    /// A new window, unless one is running.
    fn start_op(&self, email: &Email, now: i64) -> Result<Op> {
        Ok(self.fresh_op(email, now)?.when(Cond::Or(vec![
            Cond::NotExists,
            Cond::Less("since".into(), now - self.window_ms + 1),
        ])))
    }

    /// A window holding one attempt from `now`, without its condition.
    fn fresh_op(&self, email: &Email, now: i64) -> Result<Op> {
        to_item(
            &self.key(email),
            &Window {
                count: 1,
                since: now,
                ttl: (now + self.window_ms) / 1000 + 60,
            },
        )
        .map(Op::put)
    }

    /// The write that takes one attempt from what the item holds now, or
    /// `None` when the window is full.
    fn take_op(&self, email: &Email, stored: Option<&Item>, now: i64) -> Result<Option<Op>> {
        let fresh = || self.fresh_op(email, now);
        let Some(item) = stored else {
            return Ok(Some(fresh()?.when(Cond::NotExists)));
        };
        let Ok(window) = from_item::<Window>(item.clone()) else {
            // Not a window (written by an older version): start over.
            return Ok(Some(fresh()?.when(Cond::AttrNotExists("since".into()))));
        };
        let same = Cond::Eq("since".into(), window.since.into());
        if window.since + self.window_ms <= now {
            // The window ended: a new one, unless someone started it first.
            return Ok(Some(fresh()?.when(same)));
        }
        if window.count >= self.max {
            return Ok(None);
        }
        Ok(Some(Op::update(self.key(email)).add("count", 1).when(
            Cond::And(vec![same, Cond::Less("count".into(), self.max)]),
        )))
    }
}

impl Limit {
    /// The write that takes one attempt, from the item as last seen (`known`;
    /// `None`: not read, so start a window unless one is running); `None`
    /// when the window is full. For callers that put it in a transaction of
    /// their own and decide again from a failed condition's current item.
    pub fn attempt_op(
        &self,
        email: &Email,
        known: Option<Option<&Item>>,
        now: i64,
    ) -> Result<Option<Op>> {
        match known {
            Some(stored) => self.take_op(email, stored, now),
            None => self.start_op(email, now).map(Some),
        }
    }

    /// Takes one attempt for `email`; `false` when none is left. `stored` is
    /// the limit's item when the caller already read it (in a batch); without
    /// it, the first try starts a window unless one is running (no read: the
    /// failed condition hands back the item to decide again from).
    pub async fn take(
        &self,
        table: &dyn Table,
        email: &Email,
        stored: Option<Option<Item>>,
    ) -> Result<bool> {
        let mut known = stored;
        for _ in 0..ROUNDS {
            let seen = known.as_ref().map(Option::as_ref);
            let Some(op) = self.attempt_op(email, seen, now_ms())? else {
                return Ok(false);
            };
            let token = next_ulid().to_string();
            match table.transact(vec![op], &token).await {
                Ok(()) => return Ok(true),
                // Someone wrote first: decide again from what is there now.
                Err(TableError::Condition { current, .. }) => known = Some(current.map(|b| *b)),
                Err(e) => return Err(e.into()),
            }
        }
        // Still contended after many rounds: refuse rather than let it through.
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email::parse("a@example.com").unwrap()
    }

    #[test]
    fn a_full_window_takes_nothing_and_an_ended_one_starts_over() {
        let now = 1_000_000_000;
        let item = |count: i64, since: i64| {
            to_item(
                &LOGIN.key(&email()),
                &Window {
                    count,
                    since,
                    ttl: 0,
                },
            )
            .unwrap()
        };
        assert!(LOGIN
            .take_op(&email(), Some(&item(5, now - 1000)), now)
            .unwrap()
            .is_none());
        let op = LOGIN
            .take_op(&email(), Some(&item(5, now - LOGIN.window_ms)), now)
            .unwrap()
            .unwrap();
        assert!(matches!(op, Op::Put { .. }));
        let op = LOGIN
            .take_op(&email(), Some(&item(2, now - 1000)), now)
            .unwrap()
            .unwrap();
        assert!(matches!(op, Op::Update { .. }));
    }
}
