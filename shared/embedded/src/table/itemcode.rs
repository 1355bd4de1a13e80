//! How items are stored in redb: a small tagged binary form of the JSON item.
//!
//! JSON text cost half of a page read in parsing alone (escape scanning,
//! serde visitors, one B-tree insert per attribute). This form is read with a
//! cursor and builds each object from its already sorted entries in one go.
//! The first byte is a format version, so the form can change later.

use serde_json::{Map, Number, Value};

use roster_core::ports::{Item, TableError};

const VERSION: u8 = 1;

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const INT: u8 = 3;
const UINT: u8 = 4;
const FLOAT: u8 = 5;
const STRING: u8 = 6;
const ARRAY: u8 = 7;
const OBJECT: u8 = 8;

pub fn encode(item: &Item) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.push(VERSION);
    encode_object(item, &mut out);
    out
}

fn encode_len(n: usize, out: &mut Vec<u8>) {
    // Items are at most 400 KB, so lengths fit in u32.
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn encode_str(s: &str, out: &mut Vec<u8>) {
    encode_len(s.len(), out);
    out.extend_from_slice(s.as_bytes());
}

fn encode_object(map: &Map<String, Value>, out: &mut Vec<u8>) {
    encode_len(map.len(), out);
    for (k, v) in map {
        encode_str(k, out);
        encode_value(v, out);
    }
}

fn encode_value(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.push(NULL),
        Value::Bool(false) => out.push(FALSE),
        Value::Bool(true) => out.push(TRUE),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push(INT);
                out.extend_from_slice(&i.to_le_bytes());
            } else if let Some(u) = n.as_u64() {
                out.push(UINT);
                out.extend_from_slice(&u.to_le_bytes());
            } else {
                out.push(FLOAT);
                out.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_le_bytes());
            }
        }
        Value::String(s) => {
            out.push(STRING);
            encode_str(s, out);
        }
        Value::Array(a) => {
            out.push(ARRAY);
            encode_len(a.len(), out);
            for x in a {
                encode_value(x, out);
            }
        }
        Value::Object(m) => {
            out.push(OBJECT);
            encode_object(m, out);
        }
    }
}

pub fn decode(bytes: &[u8]) -> Result<Item, TableError> {
    let mut r = Reader { bytes, at: 0 };
    if r.byte()? != VERSION {
        return Err(corrupt());
    }
    let item = r.object()?;
    if r.at != bytes.len() {
        return Err(corrupt());
    }
    Ok(item)
}

fn corrupt() -> TableError {
    TableError::Internal("a stored item is corrupt".into())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], TableError> {
        let end = self.at.checked_add(n).ok_or_else(corrupt)?;
        let s = self.bytes.get(self.at..end).ok_or_else(corrupt)?;
        self.at = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, TableError> {
        Ok(self.take(1)?[0])
    }

    fn eight(&mut self) -> Result<[u8; 8], TableError> {
        self.take(8)?.try_into().map_err(|_| corrupt())
    }

    fn len(&mut self) -> Result<usize, TableError> {
        let b: [u8; 4] = self.take(4)?.try_into().map_err(|_| corrupt())?;
        Ok(u32::from_le_bytes(b) as usize)
    }

    fn string(&mut self) -> Result<String, TableError> {
        let n = self.len()?;
        let s = self.take(n)?;
        std::str::from_utf8(s)
            .map(str::to_string)
            .map_err(|_| corrupt())
    }

    fn object(&mut self) -> Result<Map<String, Value>, TableError> {
        let n = self.len()?;
        // Entries were written in key order: collecting builds the map in bulk.
        let mut entries = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            let k = self.string()?;
            entries.push((k, self.value()?));
        }
        Ok(entries.into_iter().collect())
    }

    fn value(&mut self) -> Result<Value, TableError> {
        Ok(match self.byte()? {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            INT => Value::from(i64::from_le_bytes(self.eight()?)),
            UINT => Value::from(u64::from_le_bytes(self.eight()?)),
            FLOAT => Number::from_f64(f64::from_le_bytes(self.eight()?))
                .map(Value::Number)
                .unwrap_or(Value::Null),
            STRING => Value::String(self.string()?),
            ARRAY => {
                let n = self.len()?;
                let mut a = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    a.push(self.value()?);
                }
                Value::Array(a)
            }
            OBJECT => Value::Object(self.object()?),
            _ => return Err(corrupt()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_round_trip() {
        let v = json!({"pk": "P", "sk": "S", "n": -5, "u": u64::MAX, "f": 1.5, "b": true,
                       "z": null, "s": "héllo \"x\"", "l": [1, "a", [], {}],
                       "m": {"k": {"deep": [false]}}, "": ""});
        let item = v.as_object().unwrap().clone();
        assert_eq!(decode(&encode(&item)).unwrap(), item);
    }

    #[test]
    fn corrupt_bytes_are_an_error_not_a_panic() {
        let item = json!({"pk": "P", "sk": "S", "s": "x"})
            .as_object()
            .unwrap()
            .clone();
        let bytes = encode(&item);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err());
        }
        let mut bad = bytes.clone();
        bad[0] = 9;
        assert!(decode(&bad).is_err());
    }
}
