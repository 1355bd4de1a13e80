//! What every list and read shares: `filter`, `startIndex`/`count` paging
//! in a stable order with `totalResults`, `attributes` and
//! `excludedAttributes`, from the query string or a `/.search` body.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::filter::{self, AttrPath, Filter};
use super::ScimError;

pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const SEARCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
/// `count` when none is given.
pub const DEFAULT_COUNT: usize = 100;
/// The most resources one page holds (`ServiceProviderConfig.filter.maxResults`).
pub const MAX_COUNT: usize = 1000;

/// What a list asks for.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub filter: Option<Filter>,
    /// 1-based.
    pub start_index: usize,
    pub count: usize,
    pub shape: Shape,
}

/// Which attributes an answer holds.
#[derive(Debug, Default, Clone)]
pub struct Shape {
    pub attributes: Vec<AttrPath>,
    pub excluded: Vec<AttrPath>,
}

fn paths(raw: &str, name: &str) -> Result<Vec<AttrPath>, ScimError> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|p| {
            AttrPath::parse(p).ok_or_else(|| {
                ScimError::bad("invalidValue", format!("{name}: `{p}` is not an attribute"))
            })
        })
        .collect()
}

impl Shape {
    /// `attributes` and `excludedAttributes` of a query string.
    pub fn of(query: &[(String, String)]) -> Result<Shape, ScimError> {
        let mut shape = Shape::default();
        for (name, value) in query {
            if name.eq_ignore_ascii_case("attributes") {
                shape.attributes.extend(paths(value, "attributes")?);
            } else if name.eq_ignore_ascii_case("excludedAttributes") {
                shape.excluded.extend(paths(value, "excludedAttributes")?);
            }
        }
        Ok(shape)
    }

    /// Whether the answer leaves out `attr` (a top-level name, lower case):
    /// what a handler need not read.
    pub fn omits(&self, attr: &str) -> bool {
        if self.attributes.is_empty() {
            self.excluded
                .iter()
                .any(|p| p.attr == attr && p.sub.is_none())
        } else {
            !self.attributes.iter().any(|p| p.attr == attr)
        }
    }

    /// `resource` cut to the shape; `id` and `schemas` always stay.
    pub fn apply(&self, resource: Value) -> Value {
        let Value::Object(map) = resource else {
            return resource;
        };
        let always = |k: &str| k.eq_ignore_ascii_case("id") || k.eq_ignore_ascii_case("schemas");
        let mut out = Map::new();
        for (key, value) in map {
            let lower = key.to_ascii_lowercase();
            if always(&key) {
                out.insert(key, value);
                continue;
            }
            if !self.attributes.is_empty() {
                let wanted: Vec<&AttrPath> =
                    self.attributes.iter().filter(|p| p.attr == lower).collect();
                if wanted.is_empty() {
                    continue;
                }
                if wanted.iter().any(|p| p.sub.is_none()) {
                    out.insert(key, value);
                } else {
                    let subs: Vec<&str> = wanted.iter().filter_map(|p| p.sub.as_deref()).collect();
                    out.insert(key, keep_subs(value, &subs));
                }
                continue;
            }
            let excluded: Vec<&AttrPath> =
                self.excluded.iter().filter(|p| p.attr == lower).collect();
            if excluded.iter().any(|p| p.sub.is_none()) {
                continue;
            }
            let subs: Vec<&str> = excluded.iter().filter_map(|p| p.sub.as_deref()).collect();
            out.insert(
                key,
                if subs.is_empty() {
                    value
                } else {
                    drop_subs(value, &subs)
                },
            );
        }
        Value::Object(out)
    }
}

fn keep_subs(value: Value, subs: &[&str]) -> Value {
    map_objects(value, &|k| subs.iter().any(|s| k.eq_ignore_ascii_case(s)))
}

fn drop_subs(value: Value, subs: &[&str]) -> Value {
    map_objects(value, &|k| !subs.iter().any(|s| k.eq_ignore_ascii_case(s)))
}

fn map_objects(value: Value, keep: &dyn Fn(&str) -> bool) -> Value {
    match value {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(k, _)| keep(k)).collect()),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| map_objects(v, keep)).collect())
        }
        other => other,
    }
}

/// An account too large for one list (more than `listing::MAX_USERS`) is
/// SCIM's `tooMany`.
pub fn too_many(e: roster_core::Error) -> ScimError {
    match e {
        roster_core::Error::Invalid {
            field: None,
            message,
        } => ScimError::bad("tooMany", message),
        other => other.into(),
    }
}

/// A whole number of 32 bits, as the document says.
fn number(name: &str, raw: &str) -> Result<i64, ScimError> {
    raw.trim().parse::<i32>().map(i64::from).map_err(|_| {
        ScimError::bad(
            "invalidValue",
            format!("{name} must be a 32-bit whole number"),
        )
    })
}

fn in_range(name: &str, n: Option<i64>) -> Result<Option<i64>, ScimError> {
    match n {
        Some(v) if i32::try_from(v).is_err() => Err(ScimError::bad(
            "invalidValue",
            format!("{name} must be a 32-bit whole number"),
        )),
        n => Ok(n),
    }
}

impl ListQuery {
    /// From a query string: `filter`, `startIndex`, `count`, `attributes`,
    /// `excludedAttributes` (names in any case). Sorting is not offered
    /// (`ServiceProviderConfig.sort.supported` is false): `sortBy` is refused.
    pub fn of(query: &[(String, String)]) -> Result<ListQuery, ScimError> {
        let mut filter = None;
        let mut start = None;
        let mut count = None;
        for (name, value) in query {
            match name.to_ascii_lowercase().as_str() {
                "filter" => filter = Some(value.clone()),
                "startindex" => start = Some(number("startIndex", value)?),
                "count" => count = Some(number("count", value)?),
                "attributes" | "excludedattributes" => {}
                "sortby" | "sortorder" => {
                    return Err(ScimError::bad("invalidValue", "sorting is not supported"))
                }
                other => {
                    return Err(ScimError::bad(
                        "invalidValue",
                        format!("unknown query parameter `{other}`"),
                    ))
                }
            }
        }
        Self::build(filter.as_deref(), start, count, Shape::of(query)?)
    }

    /// From a `POST …/.search` body.
    pub fn of_search(body: &[u8]) -> Result<ListQuery, ScimError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Search {
            #[serde(default)]
            schemas: Vec<String>,
            filter: Option<String>,
            // `10.0` is a whole number too, as the schema's `integer` says.
            #[serde(default, deserialize_with = "crate::call::integral_opt")]
            start_index: Option<i64>,
            #[serde(default, deserialize_with = "crate::call::integral_opt")]
            count: Option<i64>,
            #[serde(default)]
            attributes: Vec<String>,
            #[serde(default)]
            excluded_attributes: Vec<String>,
            sort_by: Option<String>,
        }
        let s: Search = serde_json::from_slice(body)
            .map_err(|e| ScimError::bad("invalidSyntax", format!("not a SearchRequest: {e}")))?;
        if !s.schemas.iter().any(|x| x == SEARCH_SCHEMA) {
            return Err(ScimError::bad(
                "invalidSyntax",
                format!("schemas must hold {SEARCH_SCHEMA}"),
            ));
        }
        if s.sort_by.is_some() {
            return Err(ScimError::bad("invalidValue", "sorting is not supported"));
        }
        let shape = Shape {
            attributes: paths(&s.attributes.join(","), "attributes")?,
            excluded: paths(&s.excluded_attributes.join(","), "excludedAttributes")?,
        };
        let start = in_range("startIndex", s.start_index)?;
        let count = in_range("count", s.count)?;
        Self::build(s.filter.as_deref(), start, count, shape)
    }

    fn build(
        filter: Option<&str>,
        start: Option<i64>,
        count: Option<i64>,
        shape: Shape,
    ) -> Result<ListQuery, ScimError> {
        let filter = match filter.map(str::trim).filter(|f| !f.is_empty()) {
            Some(f) => Some(filter::parse(f).map_err(|e| ScimError::bad("invalidFilter", e.0))?),
            None => None,
        };
        // RFC 7644 §3.4.2.4: below 1 is 1; a negative count is 0.
        let start_index = start.unwrap_or(1).max(1) as usize;
        let count = count.map_or(DEFAULT_COUNT, |c| c.clamp(0, MAX_COUNT as i64) as usize);
        Ok(ListQuery {
            filter,
            start_index,
            count,
            shape,
        })
    }

    /// The ListResponse of `resources` (in their stable order): filtered,
    /// counted, cut to the page and shaped.
    pub fn answer(&self, resources: Vec<Value>) -> Value {
        let matching: Vec<Value> = match &self.filter {
            Some(f) => resources
                .into_iter()
                .filter(|r| filter::matches(f, r))
                .collect(),
            None => resources,
        };
        let total = matching.len();
        let page: Vec<Value> = matching
            .into_iter()
            .skip(self.start_index - 1)
            .take(self.count)
            .map(|r| self.shape.apply(r))
            .collect();
        json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": self.start_index,
            "itemsPerPage": page.len(),
            "Resources": page,
        })
    }
}
