//! Fault injection: a `Table` and a `Mailer` that fail on command, for the
//! paths a healthy store or emulator never takes (conflicts, outages).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use roster_core::ports::{
    Item, Key, Mail, Mailer, Op, PortError, Query, QueryPage, Table, TableError,
};

/// Wraps a table; the next `transact` (or every read, while set) fails.
pub struct FaultyTable {
    inner: Arc<dyn Table>,
    /// Transactions to let through, then the error the next one fails with.
    next_write: Mutex<Option<(usize, TableError)>>,
    conflicts: AtomicUsize,
    writes: AtomicUsize,
    reads: Mutex<Option<fn() -> TableError>>,
    /// Writes that land just before the next transaction touching their key.
    interleaved: Mutex<Vec<(Key, Vec<Op>)>>,
}

impl FaultyTable {
    pub fn new(inner: Arc<dyn Table>) -> Arc<FaultyTable> {
        Arc::new(FaultyTable {
            inner,
            next_write: Mutex::new(None),
            conflicts: AtomicUsize::new(0),
            writes: AtomicUsize::new(0),
            reads: Mutex::new(None),
            interleaved: Mutex::new(Vec::new()),
        })
    }

    /// Right before the next transaction that touches `key`, `ops` are
    /// written (as by another request that got there first): pins an
    /// interleaving a real race only sometimes produces.
    pub fn interleave_before_write_to(&self, key: Key, ops: Vec<Op>) {
        self.interleaved.lock().unwrap().push((key, ops));
    }

    /// The next transaction fails with `e` (and writes nothing).
    pub fn fail_next_write(&self, e: TableError) {
        self.fail_write_after(0, e);
    }

    /// The next `n` transactions go through; the one after fails with `e`.
    pub fn fail_write_after(&self, n: usize, e: TableError) {
        *self.next_write.lock().unwrap() = Some((n, e));
    }

    /// The next `n` transactions fail with `Conflict`, as DynamoDB's
    /// `TransactionConflict` does.
    pub fn fail_writes_with_conflict(&self, n: usize) {
        self.conflicts.store(n, Ordering::SeqCst);
    }

    /// Transactions asked of this table so far.
    pub fn writes_seen(&self) -> usize {
        self.writes.load(Ordering::SeqCst)
    }

    /// Every read fails with what `e` makes, until `None`.
    pub fn fail_reads(&self, e: Option<fn() -> TableError>) {
        *self.reads.lock().unwrap() = e;
    }

    fn read_fault(&self) -> Result<(), TableError> {
        match *self.reads.lock().unwrap() {
            Some(make) => Err(make()),
            None => Ok(()),
        }
    }
}

#[async_trait]
impl Table for FaultyTable {
    async fn get(&self, key: &Key, consistent: bool) -> Result<Option<Item>, TableError> {
        self.read_fault()?;
        self.inner.get(key, consistent).await
    }

    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Item>, TableError> {
        self.read_fault()?;
        self.inner.batch_get(keys).await
    }

    async fn query(&self, query: &Query) -> Result<QueryPage, TableError> {
        self.read_fault()?;
        self.inner.query(query).await
    }

    async fn transact(&self, ops: Vec<Op>, token: &str) -> Result<(), TableError> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        let before = {
            let mut hooks = self.interleaved.lock().unwrap();
            let hit = hooks
                .iter()
                .position(|(key, _)| ops.iter().any(|op| op.key().as_ref() == Some(key)));
            hit.map(|at| hooks.remove(at).1)
        };
        if let Some(first) = before {
            self.inner
                .transact(first, &format!("{token}-interleaved"))
                .await
                .expect("the interleaved write");
        }
        let conflict = self
            .conflicts
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if conflict {
            return Err(TableError::Conflict);
        }
        let fault = {
            let mut next = self.next_write.lock().unwrap();
            match next.take() {
                Some((0, e)) => Some(e),
                Some((n, e)) => {
                    *next = Some((n - 1, e));
                    None
                }
                None => None,
            }
        };
        match fault {
            Some(e) => Err(e),
            None => self.inner.transact(ops, token).await,
        }
    }
}

/// A mailer that is down.
pub struct DownMailer;

#[async_trait]
impl Mailer for DownMailer {
    async fn send(&self, _: &Mail) -> Result<(), PortError> {
        Err(PortError::Unavailable("smtp.internal:25 refused".into()))
    }
}

/// A mailer that keeps what it sends (and hands it on): the AWS-backend
/// suite reads its links here rather than from the emulator's state dump,
/// which grows with every table and pool the suite makes.
pub struct Recording {
    inner: Arc<dyn Mailer>,
    sent: Mutex<Vec<Mail>>,
}

impl Recording {
    pub fn new(inner: Arc<dyn Mailer>) -> Arc<Recording> {
        Arc::new(Recording {
            inner,
            sent: Mutex::new(Vec::new()),
        })
    }

    /// The text of every message sent to `to`, oldest first.
    pub fn sent_to(&self, to: &str) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.to == to)
            .map(|m| m.text.clone())
            .collect()
    }
}

#[async_trait]
impl Mailer for Recording {
    async fn send(&self, mail: &Mail) -> Result<(), PortError> {
        self.inner.send(mail).await?;
        self.sent.lock().unwrap().push(mail.clone());
        Ok(())
    }
}

/// A test app whose table is a [`FaultyTable`] over its own.
pub async fn faulty_app() -> (crate::app::TestApp, Arc<FaultyTable>) {
    let mut app = crate::app::TestApp::new().await;
    let table = FaultyTable::new(app.roster.table.clone());
    let mut roster = app.roster.clone();
    roster.table = table.clone();
    app.use_roster(roster);
    (app, table)
}
