//! Failed logins per e-mail, counted in the table (Lambda instances share no
//! memory), keyed by the e-mail's hash whether or not a user has it, so known
//! and unknown e-mails are treated alike.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use super::keys;
use crate::crypto::sha256_hex;
use crate::domain::Email;
use crate::error::Result;
use crate::ports::{Item, Key, Op, Table};

/// Failures allowed within [`WINDOW_MS`] before logins are refused.
pub const MAX_FAILURES: i64 = 5;
/// The window failures are counted in; the lock lifts when it ends.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Failures {
    pub count: i64,
    /// Start of the window, ms.
    pub since: i64,
    /// s, DynamoDB TTL.
    pub ttl: i64,
}

pub fn key(email: &Email) -> Key {
    keys::login_failures(&sha256_hex(email.as_str().as_bytes()))
}

/// The failures in the current window, if any.
pub async fn current(table: &dyn Table, email: &Email, now: i64) -> Result<Option<Failures>> {
    current_in(table.get(&key(email), true).await?, now)
}

/// [`current`] from the item read in a batch.
pub fn current_in(item: Option<Item>, now: i64) -> Result<Option<Failures>> {
    let Some(item) = item else {
        return Ok(None);
    };
    let f: Failures = from_item(item)?;
    Ok((f.since + WINDOW_MS > now).then_some(f))
}

/// Counts one more failure, starting a new window when the last one ended.
pub fn record_op(email: &Email, current: Option<&Failures>, now: i64) -> Result<Op> {
    Ok(match current {
        Some(_) => Op::update(key(email)).add("count", 1),
        None => Op::put(to_item(
            &key(email),
            &Failures {
                count: 1,
                since: now,
                ttl: (now + WINDOW_MS) / 1000 + 60,
            },
        )?),
    })
}

pub fn clear_op(email: &Email) -> Op {
    Op::delete(key(email))
}
