//! The `Table` port: exactly the single-table operations DynamoDB offers.
//!
//! Items are JSON objects. Every item has string attributes `pk` and `sk`; items
//! that appear in the `gs1` index also carry `gs1pk` and `gs1sk`. Numbers are
//! integers (`i64`), which map to DynamoDB `N` one to one.
//!
//! Adapters must behave like DynamoDB, including its limits (see [`limits`]), so
//! that whatever passes on the embedded store also passes on AWS.

use async_trait::async_trait;
use serde_json::{Map, Value};

/// One item: a JSON object with at least `pk` and `sk`.
pub type Item = Map<String, Value>;

/// DynamoDB's limits, enforced by every adapter.
pub mod limits {
    /// Operations in one `TransactWriteItems`.
    pub const MAX_TRANSACT_OPS: usize = 100;
    /// Size of one item (names and values, as DynamoDB counts them).
    pub const MAX_ITEM_BYTES: usize = 400 * 1024;
    /// Data read by one `Query` before it stops and returns a `last_key`.
    pub const MAX_PAGE_BYTES: usize = 1024 * 1024;
    /// Keys in one `BatchGetItem`.
    pub const MAX_BATCH_GET: usize = 100;
    /// Length of a partition key value.
    pub const MAX_PK_BYTES: usize = 2048;
    /// Length of a sort key value.
    pub const MAX_SK_BYTES: usize = 1024;
    /// Levels of nested maps and lists; a top-level attribute that is a map
    /// or a list is level 1.
    pub const MAX_DEPTH: usize = 32;
    /// Numbers must stay below this magnitude (DynamoDB's largest is
    /// 9.9999999999999999999999999999999999999E+125, which an f64 can't hold:
    /// it rounds to 1e126).
    pub const NUMBER_BOUND: f64 = 1e126;
    /// Smallest magnitude of a number other than zero (DynamoDB: 1E-130).
    pub const MIN_NUMBER: f64 = 1e-130;
}

/// The primary key of an item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Key {
            pk: pk.into(),
            sk: sk.into(),
        }
    }

    /// The key of an item read from the table.
    pub fn of(item: &Item) -> Option<Key> {
        Some(Key::new(
            item.get("pk")?.as_str()?,
            item.get("sk")?.as_str()?,
        ))
    }
}

/// Which index a query reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Index {
    Primary,
    Gs1,
}

impl Index {
    /// Attribute names of this index's partition and sort keys.
    pub fn key_names(self) -> (&'static str, &'static str) {
        match self {
            Index::Primary => ("pk", "sk"),
            Index::Gs1 => ("gs1pk", "gs1sk"),
        }
    }
}

/// Condition on the sort key of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    BeginsWith(String),
    /// Inclusive on both ends, as DynamoDB's `BETWEEN`.
    Between(String, String),
}

/// A condition on one item: a transaction op's condition, or a query filter.
///
/// Only what DynamoDB condition expressions can say.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// The item exists (`attribute_exists(pk)`).
    Exists,
    /// The item does not exist (`attribute_not_exists(pk)`).
    NotExists,
    AttrExists(String),
    AttrNotExists(String),
    /// The attribute equals the value (a missing attribute equals nothing).
    Eq(String, Value),
    /// The attribute differs from the value (a missing attribute differs).
    Ne(String, Value),
    /// The numeric attribute is at least the value.
    AtLeast(String, i64),
    /// The numeric attribute is below the value (a missing attribute is not).
    Less(String, i64),
    /// The string attribute begins with the prefix.
    BeginsWith(String, String),
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

impl Cond {
    /// Evaluates the condition on an item, or on no item at all.
    pub fn holds(&self, item: Option<&Item>) -> bool {
        let attr = |name: &str| item.and_then(|i| i.get(name));
        match self {
            Cond::Exists => item.is_some(),
            Cond::NotExists => item.is_none(),
            Cond::AttrExists(a) => attr(a).is_some(),
            Cond::AttrNotExists(a) => attr(a).is_none(),
            Cond::Eq(a, v) => attr(a) == Some(v),
            Cond::Ne(a, v) => attr(a) != Some(v),
            Cond::AtLeast(a, n) => attr(a).and_then(Value::as_i64).is_some_and(|x| x >= *n),
            Cond::Less(a, n) => attr(a).and_then(Value::as_i64).is_some_and(|x| x < *n),
            Cond::BeginsWith(a, p) => attr(a)
                .and_then(Value::as_str)
                .is_some_and(|s| s.starts_with(p.as_str())),
            Cond::And(cs) => cs.iter().all(|c| c.holds(item)),
            Cond::Or(cs) => cs.iter().any(|c| c.holds(item)),
        }
    }
}

/// One query on the table or on `gs1`.
#[derive(Debug, Clone)]
pub struct Query {
    pub index: Index,
    pub pk: String,
    pub sk: Option<SortKey>,
    /// The `last_key` of the previous page: the query resumes after it.
    pub start_after: Option<Item>,
    pub forward: bool,
    /// Items *read* (before the filter), as DynamoDB's `Limit`.
    pub limit: Option<usize>,
    pub filter: Option<Cond>,
    /// Strongly consistent read; refused on `gs1`, as DynamoDB does.
    pub consistent: bool,
}

impl Query {
    pub fn new(index: Index, pk: impl Into<String>) -> Self {
        Query {
            index,
            pk: pk.into(),
            sk: None,
            start_after: None,
            forward: true,
            limit: None,
            filter: None,
            consistent: false,
        }
    }
}

/// What one query read.
#[derive(Debug, Clone, Default)]
pub struct QueryPage {
    /// The items that passed the filter, in index order.
    pub items: Vec<Item>,
    /// The key of the last item read, when more may follow. For `gs1` it holds
    /// the index key and the table key, as DynamoDB's `LastEvaluatedKey`.
    pub last_key: Option<Item>,
    /// Items read before the filter.
    pub scanned: usize,
}

/// One write of a transaction.
#[derive(Debug, Clone)]
pub enum Op {
    /// Writes the whole item (its `pk` and `sk` name it).
    Put {
        item: Item,
        cond: Option<Cond>,
    },
    /// Changes some attributes; creates the item when missing, as DynamoDB does
    /// (guard with `Cond::Exists` where that is wrong).
    Update {
        key: Key,
        set: Vec<(String, Value)>,
        /// Numeric increments (negative to take away); a missing attribute counts as 0.
        add: Vec<(String, i64)>,
        remove: Vec<String>,
        cond: Option<Cond>,
    },
    Delete {
        key: Key,
        cond: Option<Cond>,
    },
    /// Only checks its condition.
    Check {
        key: Key,
        cond: Cond,
    },
}

impl Op {
    /// The key of the item this op touches.
    pub fn key(&self) -> Option<Key> {
        match self {
            Op::Put { item, .. } => Key::of(item),
            Op::Update { key, .. } | Op::Delete { key, .. } | Op::Check { key, .. } => {
                Some(key.clone())
            }
        }
    }

    pub fn cond(&self) -> Option<&Cond> {
        match self {
            Op::Put { cond, .. } | Op::Update { cond, .. } | Op::Delete { cond, .. } => {
                cond.as_ref()
            }
            Op::Check { cond, .. } => Some(cond),
        }
    }

    /// A blank update of `key`, to be filled with the builder methods.
    pub fn update(key: Key) -> Self {
        Op::Update {
            key,
            set: Vec::new(),
            add: Vec::new(),
            remove: Vec::new(),
            cond: None,
        }
    }

    pub fn set(mut self, name: &str, value: impl Into<Value>) -> Self {
        if let Op::Update { set, .. } = &mut self {
            set.push((name.to_string(), value.into()));
        }
        self
    }

    pub fn add(mut self, name: &str, n: i64) -> Self {
        if let Op::Update { add, .. } = &mut self {
            add.push((name.to_string(), n));
        }
        self
    }

    pub fn remove(mut self, name: &str) -> Self {
        if let Op::Update { remove, .. } = &mut self {
            remove.push(name.to_string());
        }
        self
    }

    /// Sets (or replaces) this op's condition.
    pub fn when(mut self, c: Cond) -> Self {
        match &mut self {
            Op::Put { cond, .. } | Op::Update { cond, .. } | Op::Delete { cond, .. } => {
                *cond = Some(c)
            }
            Op::Check { cond, .. } => *cond = c,
        }
        self
    }

    pub fn put(item: Item) -> Self {
        Op::Put { item, cond: None }
    }

    pub fn delete(key: Key) -> Self {
        Op::Delete { key, cond: None }
    }

    pub fn check(key: Key, cond: Cond) -> Self {
        Op::Check { key, cond }
    }
}

/// Why a table call failed.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The condition of op `op_index` failed; nothing was written.
    #[error("condition of op {op_index} failed")]
    Condition {
        op_index: usize,
        current: Option<Box<Item>>,
    },
    /// A concurrent transaction touched the same items; nothing was written.
    #[error("transaction conflict")]
    Conflict,
    /// The request breaks a DynamoDB rule (a limit, a malformed key, …).
    #[error("invalid table request: {0}")]
    Invalid(String),
    /// The store is busy or unreachable; retrying later may succeed.
    #[error("table unavailable: {0}")]
    Unavailable(String),
    /// Anything else.
    #[error("table failure: {0}")]
    Internal(String),
}

/// The single-table store.
#[async_trait]
pub trait Table: Send + Sync {
    async fn get(&self, key: &Key, consistent: bool) -> Result<Option<Item>, TableError>;

    /// Items found, in no particular order; missing keys are left out.
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Item>, TableError>;

    async fn query(&self, query: &Query) -> Result<QueryPage, TableError>;

    /// All ops or none. `idempotency_token` is DynamoDB's `ClientRequestToken`.
    async fn transact(&self, ops: Vec<Op>, idempotency_token: &str) -> Result<(), TableError>;
}

/// Size of an item as DynamoDB counts it (attribute names plus values).
pub fn item_size(item: &Item) -> usize {
    fn value_size(v: &Value) -> usize {
        match v {
            Value::Null | Value::Bool(_) => 1,
            // DynamoDB: about one byte per two significant digits, plus one.
            Value::Number(n) => match n.as_i64() {
                Some(i) => {
                    (i.unsigned_abs().checked_ilog10().unwrap_or(0) as usize + 1).div_ceil(2) + 1
                }
                None => 21,
            },
            Value::String(s) => s.len(),
            Value::Array(a) => 3 + a.iter().map(|x| 1 + value_size(x)).sum::<usize>(),
            Value::Object(m) => {
                3 + m
                    .iter()
                    .map(|(k, x)| 1 + k.len() + value_size(x))
                    .sum::<usize>()
            }
        }
    }
    item.iter().map(|(k, v)| k.len() + value_size(v)).sum()
}

/// Checks what DynamoDB checks on one request before it runs it.
pub fn validate_transaction(ops: &[Op]) -> Result<(), TableError> {
    if ops.is_empty() || ops.len() > limits::MAX_TRANSACT_OPS {
        return Err(TableError::Invalid(format!(
            "a transaction holds 1 to {} ops, not {}",
            limits::MAX_TRANSACT_OPS,
            ops.len()
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, op) in ops.iter().enumerate() {
        let key = op
            .key()
            .ok_or_else(|| TableError::Invalid(format!("op {i}: item has no string pk/sk")))?;
        validate_key(&key)?;
        if !seen.insert(key.clone()) {
            return Err(TableError::Invalid(format!(
                "op {i}: one transaction touches {}/{} twice",
                key.pk, key.sk
            )));
        }
        if let Op::Put { item, .. } = op {
            validate_item(item)?;
        }
        if let Op::Update { set, .. } = op {
            for (name, value) in set {
                validate_value(name, value)?;
            }
        }
        if let Op::Update { set, remove, .. } = op {
            let touches_key = set
                .iter()
                .map(|(n, _)| n.as_str())
                .chain(remove.iter().map(String::as_str))
                .any(|n| n == "pk" || n == "sk");
            if touches_key {
                return Err(TableError::Invalid(format!(
                    "op {i}: an update cannot change the key"
                )));
            }
        }
    }
    Ok(())
}

pub fn validate_key(key: &Key) -> Result<(), TableError> {
    if key.pk.is_empty() || key.sk.is_empty() {
        return Err(TableError::Invalid("empty key attribute".into()));
    }
    if key.pk.len() > limits::MAX_PK_BYTES || key.sk.len() > limits::MAX_SK_BYTES {
        return Err(TableError::Invalid("key attribute too long".into()));
    }
    Ok(())
}

/// Checks an item about to be stored: its keys and its size.
pub fn validate_item(item: &Item) -> Result<(), TableError> {
    for name in ["gs1pk", "gs1sk"] {
        if let Some(v) = item.get(name) {
            match v.as_str() {
                Some(s) if !s.is_empty() => {}
                _ => {
                    return Err(TableError::Invalid(format!(
                        "{name} must be a non-empty string"
                    )))
                }
            }
        }
    }
    for (name, value) in item {
        validate_value(name, value)?;
    }
    if item_size(item) > limits::MAX_ITEM_BYTES {
        return Err(TableError::Invalid("item larger than 400 KB".into()));
    }
    Ok(())
}

/// Checks one attribute's value as DynamoDB would: numbers within its range,
/// maps and lists at most [`limits::MAX_DEPTH`] levels deep.
pub fn validate_value(name: &str, value: &Value) -> Result<(), TableError> {
    fn walk(v: &Value, depth: usize) -> Result<(), String> {
        match v {
            Value::Number(n) => {
                let x = n.as_f64().map(f64::abs).unwrap_or(0.0);
                if x >= limits::NUMBER_BOUND || (x != 0.0 && x < limits::MIN_NUMBER) {
                    return Err(format!("the number {n} is outside DynamoDB's range"));
                }
                Ok(())
            }
            Value::Array(_) | Value::Object(_) if depth >= limits::MAX_DEPTH => Err(format!(
                "nested more than {} levels deep",
                limits::MAX_DEPTH
            )),
            Value::Array(a) => a.iter().try_for_each(|x| walk(x, depth + 1)),
            Value::Object(m) => m.values().try_for_each(|x| walk(x, depth + 1)),
            _ => Ok(()),
        }
    }
    walk(value, 0).map_err(|e| TableError::Invalid(format!("attribute {name}: {e}")))
}

/// Checks a query before it runs.
pub fn validate_query(q: &Query) -> Result<(), TableError> {
    if q.index == Index::Gs1 && q.consistent {
        return Err(TableError::Invalid(
            "consistent reads are not supported on global secondary indexes".into(),
        ));
    }
    if q.pk.is_empty() {
        return Err(TableError::Invalid("empty partition key".into()));
    }
    if q.limit == Some(0) {
        return Err(TableError::Invalid("limit must be at least 1".into()));
    }
    Ok(())
}
