//! MFA login challenges: the password was right, a code is awaited.
//!
//! One item per challenge counts its wrong codes in the table (Lambda
//! instances share nothing). An attempt is taken before the code is checked,
//! so parallel guesses can't get past the limit, and the item is deleted by
//! the login it completes, so a challenge completes one login at most.

use serde::{Deserialize, Serialize};

use super::codec::to_item;
use super::keys;
use crate::domain::UserId;
use crate::error::Result;
use crate::ports::{Cond, Key, Op};

/// Codes a challenge may be answered with, right or wrong.
pub const MAX_ATTEMPTS: i64 = 5;
/// How long a challenge lives.
pub const TTL_MS: i64 = 5 * 60 * 1000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Challenge {
    pub user_id: UserId,
    pub attempts: i64,
    /// ms.
    pub expires: i64,
    /// s, DynamoDB TTL.
    pub ttl: i64,
}

pub fn key(id: &str) -> Key {
    keys::challenge(id)
}

pub fn insert_op(id: &str, uid: UserId, now: i64) -> Result<Op> {
    let record = Challenge {
        user_id: uid,
        attempts: 0,
        expires: now + TTL_MS,
        ttl: (now + TTL_MS) / 1000 + 60,
    };
    Ok(Op::put(to_item(&key(id), &record)?).when(Cond::NotExists))
}

/// Takes one attempt; fails once the challenge is used up, answered or gone.
pub fn attempt_op(id: &str) -> Op {
    Op::update(key(id)).add("attempts", 1).when(Cond::And(vec![
        Cond::Exists,
        Cond::Less("attempts".into(), MAX_ATTEMPTS),
    ]))
}

/// Ends the challenge with the login it completes; fails if another did.
pub fn finish_op(id: &str) -> Op {
    Op::delete(key(id)).when(Cond::Exists)
}
