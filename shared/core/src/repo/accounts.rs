//! The account item, which holds the remaining seats.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use super::keys;
use crate::domain::AccountId;
use crate::error::{Error, Result};
use crate::plans;
use crate::ports::{Cond, Item, Op, Table};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    pub plan: String,
    /// Seats left to fill. Taken with `ADD seats -1` under `seats >= 1` in the
    /// same transaction as the user, so concurrent invites cannot overfill.
    pub seats: i64,
    pub created: i64,
    pub updated: i64,
}

impl Account {
    /// Seats the plan allows.
    pub fn seat_limit(&self) -> i64 {
        plans::plan(&self.plan).map(|p| p.seats).unwrap_or(0)
    }

    pub fn insert_op(&self) -> Result<Op> {
        Ok(Op::put(to_item(&keys::account(self.id), self)?).when(Cond::NotExists))
    }
}

pub async fn get(table: &dyn Table, aid: AccountId) -> Result<Option<Account>> {
    match table.get(&keys::account(aid), true).await? {
        Some(item) => Ok(Some(from_item(item)?)),
        None => Ok(None),
    }
}

/// The account of a user that exists: its absence is a broken invariant.
pub async fn require(table: &dyn Table, aid: AccountId) -> Result<Account> {
    required(aid, table.get(&keys::account(aid), true).await?)
}

/// [`require`] on an item read in a batch.
pub fn required(aid: AccountId, item: Option<Item>) -> Result<Account> {
    item.map(from_item)
        .transpose()?
        .ok_or_else(|| Error::Internal(format!("account {aid} is missing")))
}

/// Takes one seat; its condition fails when none is left.
pub fn take_seat(aid: AccountId) -> Op {
    Op::update(keys::account(aid))
        .add("seats", -1)
        .when(Cond::AtLeast("seats".into(), 1))
}

pub fn free_seat(aid: AccountId) -> Op {
    Op::update(keys::account(aid))
        .add("seats", 1)
        .when(Cond::Exists)
}
