//! One call of an operation, as handlers see it: who is calling, the raw body
//! (parsed on demand into the handler's type), and the paging options.

use axum::body::Bytes;
use roster_core::auth::cursor::Direction;
use roster_core::paging::{PageRequest, DEFAULT_LIMIT, MAX_LIMIT};
use roster_core::ports::Index;
use roster_core::users::Caller;
use roster_core::Error;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::ops::Query;
use crate::ApiError;

pub struct Call {
    pub caller: Option<Caller>,
    /// On public operations, the `Authorization: Bearer` token if one came
    /// (`user/login` with a hosted-UI id token); never checked by the router.
    pub bearer: Option<String>,
    pub body: Bytes,
    pub query: Vec<(String, String)>,
    /// The paging options the operation takes (the table's `query`).
    pub paging: Query,
}

impl Call {
    /// The body as `T` (which refuses unknown fields); an empty body (no
    /// byte at all) is `{}`. It must be an object, as every body's schema
    /// says (serde would also read a struct from an array of its fields).
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if self.body.is_empty() {
            return self.parse(b"{}");
        }
        match self.body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => self.parse(&self.body),
            _ => {
                // Not an object: say why JSON that isn't one is refused, or
                // what is wrong with what isn't JSON.
                let e = serde_json::from_slice::<serde_json::Value>(&self.body).err();
                Err(ApiError::bad_request(match e {
                    Some(e) => body_error(&e),
                    None => "the body must be a JSON object".to_string(),
                }))
            }
        }
    }

    /// The body as a list `T` (the replaced APIs' array bodies); an empty
    /// body is `{}`, which is no list.
    pub fn list_body<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if self.body.is_empty() {
            return self.parse(b"{}");
        }
        self.parse(&self.body)
    }

    fn parse<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, ApiError> {
        serde_json::from_slice(bytes).map_err(|e| ApiError::bad_request(body_error(&e)))
    }

    /// The authenticated caller; the router guarantees one on member operations.
    pub fn caller(&self) -> Result<&Caller, ApiError> {
        self.caller
            .as_ref()
            .ok_or_else(|| Error::Unauthenticated("a bearer token is required").into())
    }

    /// `limit` (1–100, default 25), `next` or `prev`, and, for pages that
    /// have more than one order, `index` (`primary` | `gs1`).
    pub fn page(&self) -> Result<PageRequest, ApiError> {
        match self.paging {
            Query::Page => {}
            Query::OrderedPage => {
                if self.query.iter().any(|(name, _)| name == "index") {
                    return Err(ApiError::bad_request(
                        "unknown query parameter `index`: this page has one order",
                    ));
                }
            }
            Query::None => {
                return Err(roster_core::Error::Internal(
                    "a page of an operation that takes no paging options".into(),
                )
                .into())
            }
        }
        let mut page = PageRequest {
            limit: DEFAULT_LIMIT,
            cursor: None,
            index: Index::Primary,
        };
        for (name, value) in &self.query {
            match name.as_str() {
                "limit" => {
                    page.limit = value
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or_else(|| {
                            ApiError::from(Error::invalid("limit", "limit must be 1 to 100"))
                        })?
                }
                "next" | "prev" => {
                    if page.cursor.is_some() {
                        return Err(ApiError::bad_request("give next or prev, not both"));
                    }
                    let dir = if name == "next" {
                        Direction::Next
                    } else {
                        Direction::Prev
                    };
                    page.cursor = Some((dir, value.clone()));
                }
                "index" => {
                    page.index = match value.as_str() {
                        "primary" => Index::Primary,
                        "gs1" => Index::Gs1,
                        _ => {
                            return Err(
                                Error::invalid("index", "index must be primary or gs1").into()
                            )
                        }
                    }
                }
                other => {
                    return Err(ApiError::bad_request(format!(
                        "unknown query parameter `{other}`"
                    )))
                }
            }
        }
        Ok(page)
    }

    /// Refuses query parameters on operations that are not pages.
    pub fn no_query(&self) -> Result<(), ApiError> {
        match self.query.first() {
            None => Ok(()),
            Some((name, _)) => Err(ApiError::bad_request(format!(
                "unknown query parameter `{name}`"
            ))),
        }
    }
}

/// A whole number as JSON Schema's `integer` reads it: `32` or `32.0`
/// (serde's `i64` takes only the first). For `#[serde(deserialize_with)]`.
pub(crate) fn integral<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    whole(&n).ok_or_else(|| serde::de::Error::custom(format!("{n} is not a whole number")))
}

/// [`integral`], optional (`null` is absent).
pub(crate) fn integral_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<i64>, D::Error> {
    match Option::<serde_json::Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => whole(&n)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("{n} is not a whole number"))),
    }
}

fn whole(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= i64::MIN as f64 && *f < i64::MAX as f64)
            .map(|f| f as i64)
    })
}

/// `value` with every whole number written as one (`278.0` → `278`), for
/// parsers of `i64`s that read a body's [`serde_json::Value`].
pub(crate) fn whole_numbers(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => match whole(&n) {
            Some(i) => Value::from(i),
            None => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(whole_numbers).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, whole_numbers(v)))
                .collect(),
        ),
        other => other,
    }
}

fn body_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            format!("the body is not valid JSON: {e}")
        }
        Category::Data => format!("the body does not fit this operation: {e}"),
    }
}
