//! The replaced APIs' offset paging: `page` (from 1), `pagesize`,
//! `sortfield`, `descending`, answered as `DTOCollection`
//! `{data, total, options: {page, pageSize}}`.
//!
//! Core reads the whole list (bounded: see `roster_core::listing`); here it
//! is sorted and cut. A sort field names any field of the listed object,
//! case-insensitively (`CreateDate`, `createdate`), nested ones with a dot
//! (`User.Username`); ties go by `id`, so pages never overlap or skip.

use std::cmp::Ordering;

use roster_core::Error;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::CompatError;
use crate::{ApiError, Call};

pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 1_000;
/// With details, each row carries lists of its own.
pub const MAX_DETAILS_PAGE_SIZE: usize = 100;

/// The query parameters of a list route (the token is gone by now).
pub struct Params<'a>(&'a [(String, String)]);

impl<'a> Params<'a> {
    pub fn of(call: &'a Call) -> Self {
        Params(&call.query)
    }

    /// A parameter's last value, when given and not empty (`?page=` is
    /// the default page, as the replaced APIs read it).
    pub fn text(&self, name: &str) -> Option<&'a str> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A parameter the route can't do without (`INVALID` when missing).
    pub fn required(&self, name: &'static str) -> Result<&'a str, CompatError> {
        self.text(name)
            .ok_or_else(|| Error::invalid(name, format!("{name} is required")).into())
    }

    /// A case-insensitive substring filter of at most `max` characters, lower-cased.
    pub fn substring(&self, name: &'static str, max: usize) -> Result<Option<String>, CompatError> {
        match self.text(name) {
            Some(n) if n.chars().count() > max => {
                Err(Error::invalid(name, format!("{name} is longer than {max} characters")).into())
            }
            n => Ok(n.map(|n| n.trim().to_lowercase())),
        }
    }

    /// A whole number; a value that isn't one is a malformed request (400).
    pub fn number(&self, name: &str) -> Result<Option<i64>, CompatError> {
        self.text(name)
            .map(|v| {
                v.parse::<i64>().map_err(|_| {
                    ApiError::bad_request(format!("{name} must be a whole number")).into()
                })
            })
            .transpose()
    }

    /// `true` / `false` (any case) or `1` / `0`; anything else is 400.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, CompatError> {
        self.text(name)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(ApiError::bad_request(format!("{name} must be true or false")).into()),
            })
            .transpose()
    }

    /// A flag enum of the bits `known`: `all` when absent; bits roster does
    /// not know are ignored, but a value naming none of `known` is INVALID.
    pub fn flags(&self, name: &'static str, known: u32) -> Result<u32, CompatError> {
        match self.number(name)? {
            None => Ok(known),
            Some(v) => match u32::try_from(v) {
                Ok(bits) if bits & known != 0 => Ok(bits & known),
                _ => Err(Error::invalid(
                    name,
                    format!("{name} must include at least one of the flags in {known}"),
                )
                .into()),
            },
        }
    }
}

/// The schema of a [`Params::number`] from `min` (to `max`): an integer,
/// or empty for the default.
fn number_schema(min: i64, max: i64) -> schemars::Schema {
    schemars::json_schema!({
        "anyOf": [{"type": "integer", "minimum": min, "maximum": max}, {"const": ""}],
    })
}

crate::schema::value!(
    /// A [`Params::flag`]: `true`, `false` (any case), `1`, `0`, or empty
    /// for the default.
    CompatFlag,
    schemars::json_schema!({
        "type": "string",
        "pattern": "^([tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|1|0)?$",
        "examples": ["true"],
    })
);

crate::schema::value!(
    /// `page`: from 1, the first unless given.
    CompatPage,
    number_schema(1, i64::MAX)
);

crate::schema::value!(
    /// `pagesize`: 1 to 1,000 (lists with details: 1 to 100), 50 unless given.
    CompatPageSize,
    number_schema(1, MAX_PAGE_SIZE as i64)
);

crate::schema::value!(
    /// `pagesize` of a list with details: 1 to 100, 50 unless given.
    CompatDetailsPageSize,
    number_schema(1, MAX_DETAILS_PAGE_SIZE as i64)
);

crate::schema::value!(
    /// A flag enum's value: any of its flags (bits outside them are ignored).
    CompatFlags,
    number_schema(1, i64::from(u32::MAX))
);

/// Whether `text` holds `needle` (a [`Params::substring`]), ignoring case.
pub fn contains(text: &str, needle: Option<&str>) -> bool {
    needle.is_none_or(|n| text.to_lowercase().contains(n))
}

/// How a list is ordered and cut.
pub struct Listing {
    pub page: usize,
    pub page_size: usize,
    /// The sort field, as the object spells it (`user.username`).
    sort: Vec<String>,
    pub descending: bool,
}

impl Listing {
    /// Reads `page`, `pagesize`, `sortfield` and `descending`. `fields` are
    /// the sortable fields of the listed object (`user.username` for nested
    /// ones); `default` one of them.
    pub fn read(
        params: &Params,
        fields: &[&str],
        default: &str,
        descending: bool,
    ) -> Result<Listing, CompatError> {
        Self::read_up_to(params, fields, default, descending, MAX_PAGE_SIZE)
    }

    /// [`Listing::read`] with pages of at most `max`.
    pub fn read_up_to(
        params: &Params,
        fields: &[&str],
        default: &str,
        descending: bool,
        max: usize,
    ) -> Result<Listing, CompatError> {
        let page = params.number("page")?.unwrap_or(1);
        let page = usize::try_from(page)
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| Error::invalid("page", "page starts at 1"))?;
        let page_size = params
            .number("pagesize")?
            .unwrap_or(DEFAULT_PAGE_SIZE as i64);
        let page_size = usize::try_from(page_size)
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| Error::invalid("pagesize", format!("pagesize must be 1 to {max}")))?;
        let wanted = params.text("sortfield").unwrap_or(default);
        let field = fields
            .iter()
            .find(|f| f.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                Error::invalid(
                    "sortfield",
                    format!("sortfield must be one of {}", fields.join(", ")),
                )
            })?;
        Ok(Listing {
            page,
            page_size,
            sort: field.split('.').map(str::to_string).collect(),
            descending: params.flag("descending")?.unwrap_or(descending),
        })
    }

    /// Sorts `items` and answers the requested page of them. Items are
    /// compared by their JSON (what a sort field names), kept as they are.
    pub fn collect<T: Serialize>(&self, items: Vec<T>) -> Result<Collection<T>, CompatError> {
        let keys = items
            .iter()
            .map(|item| {
                serde_json::to_value(item)
                    .map(|v| (at(&v, &self.sort).cloned(), v.get("id").cloned()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::internal("serialising a list", e))?;
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by(|&a, &b| {
            let (ka, ia) = &keys[a];
            let (kb, ib) = &keys[b];
            let order =
                compare(ka.as_ref(), kb.as_ref()).then_with(|| compare(ia.as_ref(), ib.as_ref()));
            if self.descending {
                order.reverse()
            } else {
                order
            }
        });
        let total = items.len();
        let wanted: Vec<usize> = order
            .into_iter()
            .skip((self.page - 1).saturating_mul(self.page_size))
            .take(self.page_size)
            .collect();
        let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
        let data = wanted.into_iter().filter_map(|i| slots[i].take()).collect();
        Ok(Collection {
            data,
            total,
            options: Options {
                page: self.page,
                page_size: self.page_size,
            },
        })
    }
}

/// `DTOCollection`: a page of rows, how many there are in all, and which
/// page this is.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "{T}Collection")]
pub struct Collection<T> {
    pub data: Vec<T>,
    pub total: usize,
    pub options: Options,
}

impl<T> Collection<T> {
    /// The same page with each row made into another.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Collection<U> {
        Collection {
            data: self.data.into_iter().map(f).collect(),
            total: self.total,
            options: self.options,
        }
    }
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    pub page: usize,
    pub page_size: usize,
}

/// The value at a dotted path, keys matched case-insensitively.
fn at<'v>(value: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, key| {
        v.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// Missing and null first, then booleans, numbers, and text (ignoring case).
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(v: Option<&Value>) -> u8 {
        match v {
            None | Some(Value::Null) => 0,
            Some(Value::Bool(_)) => 1,
            Some(Value::Number(_)) => 2,
            Some(Value::String(_)) => 3,
            Some(_) => 4,
        }
    }
    match (a, b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.total_cmp(&y)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x
            .to_lowercase()
            .cmp(&y.to_lowercase())
            .then_with(|| x.cmp(y)),
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn listing(sort: &str, descending: bool, page: usize, page_size: usize) -> Listing {
        Listing {
            page,
            page_size,
            sort: sort.split('.').map(str::to_string).collect(),
            descending,
        }
    }

    #[test]
    fn sorts_nested_fields_ignoring_case_with_ties_by_id() {
        let rows = vec![
            json!({"id": "3", "user": {"username": "b@x"}}),
            json!({"id": "1", "user": {"username": "B@x"}}),
            json!({"id": "2", "user": {"username": "a@x"}}),
        ];
        let page = listing("User.Username", false, 1, 10)
            .collect(rows.clone())
            .ok()
            .map(|c| {
                c.data
                    .iter()
                    .map(|r: &Value| r["id"].clone())
                    .collect::<Vec<_>>()
            });
        assert_eq!(page, Some(vec![json!("2"), json!("1"), json!("3")]));
        let page = listing("user.username", true, 1, 2)
            .collect(rows)
            .ok()
            .map(|c| {
                (
                    c.total,
                    c.data
                        .iter()
                        .map(|r: &Value| r["id"].clone())
                        .collect::<Vec<_>>(),
                )
            });
        assert_eq!(page, Some((3, vec![json!("3"), json!("1")])));
    }

    #[test]
    fn a_page_past_the_end_is_empty_with_the_total() {
        let rows = vec![json!({"id": "1"}), json!({"id": "2"})];
        let c = listing("id", false, 3, 1).collect(rows).ok();
        assert_eq!(c.map(|c| (c.data.len(), c.total)), Some((0, 2)));
    }
}
