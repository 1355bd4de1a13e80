//! A lock on a login while its password is being set.
//!
//! The identity provider sets a password at once and can't take part in a
//! table transaction, so two requests that set one user's password (two
//! signups with one invite, two reset links, a reset and a change) could
//! each set theirs while only one of them is recorded as the winner. The lock
//! is taken before the password is set and released in the transaction that
//! records the change, conditional on still holding it; the loser stops before
//! touching the password. A lock lasts [`LOCK_MS`], so a request that died
//! holding it blocks nobody for long.

use super::keys;
use crate::domain::UserId;
use crate::ports::{Cond, Item, Key, Op};

/// How long a lock holds.
pub const LOCK_MS: i64 = 30 * 1000;

pub fn key(uid: UserId) -> Key {
    keys::password_lock(uid)
}

/// Takes the lock for `holder`; fails while someone else holds it.
pub fn lock_op(uid: UserId, holder: &str, now: i64) -> Op {
    let key = key(uid);
    let mut item = Item::new();
    item.insert("pk".into(), key.pk.into());
    item.insert("sk".into(), key.sk.into());
    item.insert("holder".into(), holder.into());
    item.insert("until".into(), (now + LOCK_MS).into());
    item.insert("ttl".into(), ((now + LOCK_MS) / 1000 + 3600).into());
    Op::put(item).when(Cond::Or(vec![
        Cond::NotExists,
        Cond::Less("until".into(), now),
    ]))
}

/// Releases the lock; fails if `holder` lost it meanwhile.
pub fn release_op(uid: UserId, holder: &str) -> Op {
    Op::delete(key(uid)).when(Cond::Eq("holder".into(), holder.into()))
}

/// Releases the lock whoever holds it: for a write that must not fail on it
/// (ending sessions once a password changed). Only a request that held the
/// lock past [`LOCK_MS`] could drop another's.
pub fn drop_op(uid: UserId) -> Op {
    Op::delete(key(uid))
}
