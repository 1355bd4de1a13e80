//! `Table` on redb: ordered byte keys, a second redb table for `gs1`, one
//! write transaction per `transact` call, DynamoDB's limits enforced.

mod itemcode;
mod keycode;

use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use roster_core::ports::table::{
    item_size, limits, validate_item, validate_key, validate_query, validate_transaction,
};
use roster_core::ports::{Index, Item, Key, Op, Query, QueryPage, SortKey, Table, TableError};
use serde_json::Value;

use keycode::{encode, escaped_prefix, upper_of_prefix};

/// Items by `(pk, sk)`; the value is the item in [`itemcode`]'s form.
const PRIMARY: TableDefinition<&[u8], &[u8]> = TableDefinition::new("primary");
/// `(gs1pk, gs1sk, pk, sk)` → the item's primary key.
const GS1: TableDefinition<&[u8], &[u8]> = TableDefinition::new("gs1");

#[derive(Clone)]
pub struct RedbTable {
    db: Arc<Database>,
}

fn internal(e: impl std::fmt::Display) -> TableError {
    TableError::Internal(e.to_string())
}

impl RedbTable {
    pub fn open(path: &Path) -> Result<RedbTable, String> {
        let db =
            Database::create(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        // Create both tables up front so readers never meet a missing one.
        let init = || -> Result<(), redb::Error> {
            let txn = db.begin_write()?;
            txn.open_table(PRIMARY)?;
            txn.open_table(GS1)?;
            txn.commit()?;
            Ok(())
        };
        init().map_err(|e| format!("cannot initialise {}: {e}", path.display()))?;
        Ok(RedbTable { db: Arc::new(db) })
    }

    fn get_sync(&self, key: &Key) -> Result<Option<Item>, TableError> {
        validate_key(key)?;
        let txn = self.db.begin_read().map_err(internal)?;
        let table = txn.open_table(PRIMARY).map_err(internal)?;
        let found = table
            .get(encode(&[&key.pk, &key.sk]).as_slice())
            .map_err(internal)?;
        found.map(|v| decode_item(v.value())).transpose()
    }

    fn query_sync(&self, q: &Query) -> Result<QueryPage, TableError> {
        validate_query(q)?;
        let txn = self.db.begin_read().map_err(internal)?;
        let primary = txn.open_table(PRIMARY).map_err(internal)?;
        let (lower, upper) = bounds(q)?;
        let source = match q.index {
            Index::Primary => &primary,
            Index::Gs1 => &txn.open_table(GS1).map_err(internal)?,
        };
        let range = source
            .range::<&[u8]>((as_ref(&lower), as_ref(&upper)))
            .map_err(internal)?;
        let mut iter: Box<dyn Iterator<Item = _>> = if q.forward {
            Box::new(range)
        } else {
            Box::new(range.rev())
        };
        let mut page = QueryPage::default();
        let mut bytes = 0;
        let limit = q.limit.unwrap_or(usize::MAX);
        for entry in iter.by_ref() {
            let (_, value) = entry.map_err(internal)?;
            let item = match q.index {
                Index::Primary => decode_item(value.value())?,
                Index::Gs1 => {
                    let found = primary.get(value.value()).map_err(internal)?;
                    let Some(found) = found else {
                        return Err(TableError::Internal("gs1 points at a missing item".into()));
                    };
                    decode_item(found.value())?
                }
            };
            page.scanned += 1;
            bytes += item_size(&item);
            let stop = page.scanned >= limit || bytes >= limits::MAX_PAGE_BYTES;
            let last = stop.then(|| last_key(q.index, &item));
            if q.filter.as_ref().is_none_or(|f| f.holds(Some(&item))) {
                page.items.push(item);
            }
            if stop {
                page.last_key = last;
                break;
            }
        }
        Ok(page)
    }

    fn transact_sync(&self, ops: Vec<Op>) -> Result<(), TableError> {
        validate_transaction(&ops)?;
        let txn = self.db.begin_write().map_err(internal)?;
        {
            let mut primary = txn.open_table(PRIMARY).map_err(internal)?;
            let mut gs1 = txn.open_table(GS1).map_err(internal)?;
            // Read every item and check every condition before writing any.
            let mut current = Vec::with_capacity(ops.len());
            for (op_index, op) in ops.iter().enumerate() {
                let key = op
                    .key()
                    .ok_or_else(|| TableError::Invalid("op without a key".into()))?;
                let stored = primary
                    .get(encode(&[&key.pk, &key.sk]).as_slice())
                    .map_err(internal)?
                    .map(|v| decode_item(v.value()))
                    .transpose()?;
                if let Some(cond) = op.cond() {
                    if !cond.holds(stored.as_ref()) {
                        return Err(TableError::Condition {
                            op_index,
                            current: stored.map(Box::new),
                        });
                    }
                }
                current.push((key, stored));
            }
            for (op, (key, stored)) in ops.into_iter().zip(current) {
                let next = match op {
                    Op::Check { .. } => continue,
                    Op::Delete { .. } => None,
                    Op::Put { item, .. } => Some(item),
                    Op::Update {
                        set, add, remove, ..
                    } => Some(apply_update(&key, stored.clone(), set, add, remove)?),
                };
                let pkey = encode(&[&key.pk, &key.sk]);
                if let Some(old) = &stored {
                    if let Some(ik) = gs1_key(old) {
                        gs1.remove(ik.as_slice()).map_err(internal)?;
                    }
                }
                match next {
                    None => {
                        primary.remove(pkey.as_slice()).map_err(internal)?;
                    }
                    Some(item) => {
                        validate_item(&item)?;
                        let bytes = itemcode::encode(&item);
                        primary
                            .insert(pkey.as_slice(), bytes.as_slice())
                            .map_err(internal)?;
                        if let Some(ik) = gs1_key(&item) {
                            gs1.insert(ik.as_slice(), pkey.as_slice())
                                .map_err(internal)?;
                        }
                    }
                }
            }
        }
        // Durability::Immediate (redb's default): the commit is on disk when it returns.
        txn.commit().map_err(internal)
    }
}

fn as_ref(b: &Bound<Vec<u8>>) -> Bound<&[u8]> {
    match b {
        Bound::Included(v) => Bound::Included(v.as_slice()),
        Bound::Excluded(v) => Bound::Excluded(v.as_slice()),
        Bound::Unbounded => Bound::Unbounded,
    }
}

fn decode_item(bytes: &[u8]) -> Result<Item, TableError> {
    itemcode::decode(bytes)
}

fn str_attr<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name).and_then(Value::as_str)
}

/// The `gs1` key of an item, when it has both index attributes.
fn gs1_key(item: &Item) -> Option<Vec<u8>> {
    Some(encode(&[
        str_attr(item, "gs1pk")?,
        str_attr(item, "gs1sk")?,
        str_attr(item, "pk")?,
        str_attr(item, "sk")?,
    ]))
}

/// The `LastEvaluatedKey` of an item on an index.
fn last_key(index: Index, item: &Item) -> Item {
    let names: &[&str] = match index {
        Index::Primary => &["pk", "sk"],
        Index::Gs1 => &["pk", "sk", "gs1pk", "gs1sk"],
    };
    names
        .iter()
        .filter_map(|n| item.get(*n).map(|v| (n.to_string(), v.clone())))
        .collect()
}

/// The byte range a query reads, before `start_after`.
/// Lower and upper bound of a byte range.
type Range = (Bound<Vec<u8>>, Bound<Vec<u8>>);

fn bounds(q: &Query) -> Result<Range, TableError> {
    let part = escaped_prefix(&q.pk, true);
    let (mut lower, mut upper) = match &q.sk {
        None => (
            Bound::Included(part.clone()),
            Bound::Excluded(upper_of_prefix(&part)),
        ),
        Some(SortKey::BeginsWith(p)) => {
            let mut lo = part.clone();
            lo.extend(escaped_prefix(p, false));
            let hi = upper_of_prefix(&lo);
            (Bound::Included(lo), Bound::Excluded(hi))
        }
        Some(SortKey::Between(a, b)) => {
            let mut lo = part.clone();
            lo.extend(escaped_prefix(a, true));
            let mut hi = part.clone();
            hi.extend(escaped_prefix(b, true));
            (Bound::Included(lo), Bound::Excluded(upper_of_prefix(&hi)))
        }
    };
    if let Some(start) = &q.start_after {
        let key = |n: &str| {
            str_attr(start, n)
                .ok_or_else(|| TableError::Invalid(format!("the start key lacks {n}")))
        };
        let at = match q.index {
            Index::Primary => encode(&[key("pk")?, key("sk")?]),
            Index::Gs1 => encode(&[key("gs1pk")?, key("gs1sk")?, key("pk")?, key("sk")?]),
        };
        if q.forward {
            lower = Bound::Excluded(at);
        } else {
            upper = Bound::Excluded(at);
        }
    }
    Ok((lower, upper))
}

/// DynamoDB's `UpdateItem` on one item (created when missing).
fn apply_update(
    key: &Key,
    stored: Option<Item>,
    set: Vec<(String, Value)>,
    add: Vec<(String, i64)>,
    remove: Vec<String>,
) -> Result<Item, TableError> {
    let mut item = stored.unwrap_or_else(|| {
        let mut i = Item::new();
        i.insert("pk".into(), key.pk.clone().into());
        i.insert("sk".into(), key.sk.clone().into());
        i
    });
    for (name, value) in set {
        item.insert(name, value);
    }
    for (name, n) in add {
        let current = match item.get(&name) {
            None => 0,
            Some(v) => v.as_i64().ok_or_else(|| {
                TableError::Invalid(format!("ADD on {name}, which is not a number"))
            })?,
        };
        let sum = current
            .checked_add(n)
            .ok_or_else(|| TableError::Invalid(format!("ADD on {name} overflows")))?;
        item.insert(name, sum.into());
    }
    for name in remove {
        item.remove(&name);
    }
    Ok(item)
}

#[async_trait]
impl Table for RedbTable {
    async fn get(&self, key: &Key, _consistent: bool) -> Result<Option<Item>, TableError> {
        // Every read of redb is consistent; a single get is fast enough to run
        // on the async worker.
        self.get_sync(key)
    }

    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Item>, TableError> {
        if keys.len() > limits::MAX_BATCH_GET {
            return Err(TableError::Invalid(format!(
                "a batch holds at most {} keys",
                limits::MAX_BATCH_GET
            )));
        }
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for key in keys {
            if !seen.insert(key) {
                return Err(TableError::Invalid("a batch names one key twice".into()));
            }
            out.extend(self.get_sync(key)?);
        }
        Ok(out)
    }

    async fn query(&self, query: &Query) -> Result<QueryPage, TableError> {
        self.query_sync(query)
    }

    async fn transact(&self, ops: Vec<Op>, _idempotency_token: &str) -> Result<(), TableError> {
        // The token matters where a call can be retried after its answer was
        // lost; a local call either returned or did not happen.
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.transact_sync(ops))
            .await
            .map_err(|e| TableError::Internal(format!("write task failed: {e}")))?
    }
}
