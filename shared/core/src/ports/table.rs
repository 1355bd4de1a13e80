//! The `Table` port: exactly the single-table operations DynamoDB offers.
//!
//! Items are JSON objects. Every item has string attributes `pk` and `sk`; items
//! that appear in the `gs1` index also carry `gs1pk` and `gs1sk`. Numbers are
//! integers (`i64`), which map to DynamoDB `N` one to one.
//!
//! Adapters must behave like DynamoDB, including its limits (see [`limits`]), so
//! that whatever passes on the embedded store also passes on AWS.

mod validate;

use async_trait::async_trait;
use serde_json::{Map, Value};

pub use validate::{
    item_size, limits, validate_item, validate_key, validate_query, validate_transaction,
    validate_value,
};

/// One item: a JSON object with at least `pk` and `sk`.
pub type Item = Map<String, Value>;

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
