//! What DynamoDB checks before it runs a request, checked the same way by
//! every adapter: its limits, key shapes, item sizes, numbers and nesting.

use serde_json::Value;

use super::{Index, Item, Key, Op, Query, TableError};

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
