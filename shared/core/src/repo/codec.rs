//! Items to and from records, through serde.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::ports::{Item, Key};

/// Serialises `record` and adds the item's keys.
pub fn to_item<T: Serialize>(key: &Key, record: &T) -> Result<Item> {
    match serde_json::to_value(record) {
        Ok(Value::Object(mut map)) => {
            map.insert("pk".into(), Value::String(key.pk.clone()));
            map.insert("sk".into(), Value::String(key.sk.clone()));
            Ok(map)
        }
        Ok(_) => Err(Error::Internal("a record is not an object".into())),
        Err(e) => Err(Error::internal("encoding an item", e)),
    }
}

pub fn from_item<T: DeserializeOwned>(item: Item) -> Result<T> {
    serde_json::from_value(Value::Object(item)).map_err(|e| Error::internal("decoding an item", e))
}
