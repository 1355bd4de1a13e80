//! Retrying transaction conflicts, for any `Table`.
//!
//! DynamoDB cancels a transaction that races another on the same items
//! (`TransactionConflict`); trying again a few times with jitter settles
//! nearly all of them. Past that the answer is `Conflict` (`UNAVAILABLE` to
//! the client). The same idempotency token goes with every try, so a try
//! whose answer was lost is not applied twice.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use roster_core::ports::{Item, Key, Op, Query, QueryPage, Table, TableError};

pub struct RetryConflicts {
    inner: Arc<dyn Table>,
    tries: u32,
    base: Duration,
}

impl RetryConflicts {
    /// Up to 4 tries, waiting about 10, 20, 40 ms (±50 %) between them.
    pub fn new(inner: Arc<dyn Table>) -> RetryConflicts {
        Self::with(inner, 4, Duration::from_millis(10))
    }

    pub fn with(inner: Arc<dyn Table>, tries: u32, base: Duration) -> RetryConflicts {
        RetryConflicts {
            inner,
            tries: tries.max(1),
            base,
        }
    }
}

/// A factor in [0.5, 1.5) from the clock's low bits: enough to spread retries.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    0.5 + f64::from(nanos % 1000) / 1000.0
}

#[async_trait]
impl Table for RetryConflicts {
    async fn get(&self, key: &Key, consistent: bool) -> Result<Option<Item>, TableError> {
        self.inner.get(key, consistent).await
    }

    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Item>, TableError> {
        self.inner.batch_get(keys).await
    }

    async fn query(&self, query: &Query) -> Result<QueryPage, TableError> {
        self.inner.query(query).await
    }

    async fn transact(&self, ops: Vec<Op>, token: &str) -> Result<(), TableError> {
        let mut wait = self.base;
        for attempt in 1..=self.tries {
            match self.inner.transact(ops.clone(), token).await {
                Err(TableError::Conflict) if attempt < self.tries => {
                    tracing::debug!(attempt, "transaction conflict; retrying");
                    tokio::time::sleep(wait.mul_f64(jitter())).await;
                    wait *= 2;
                }
                other => return other,
            }
        }
        Err(TableError::Conflict)
    }
}
