//! SCIM PATCH (RFC 7644 §3.5.2) applied to a resource's JSON: the handler
//! reads the resource as it stands, applies every operation here, and
//! writes the outcome as it would a PUT — so a PATCH can change nothing a
//! PUT could not, and every rule is checked once.
//!
//! What identity providers really send is read as they mean it: `op` in any
//! case (`Replace`); path-less `add`/`replace` of an object whose keys may
//! be dotted (`{"name.givenName": "Ada"}`) or carry a URN; value paths
//! (`emails[type eq "work"].value`, `members[value eq "…"]`); a filtered
//! replace or add that matches nothing creates the element; `remove` of
//! `members` with a `value` list removes those members. Booleans sent as
//! strings (`"False"`) are read where the resource is.

use serde::Deserialize;
use std::collections::HashSet;

use serde_json::{Map, Value};

use super::filter::{self, get_ci, AttrPath, Filter};

/// The most operations one PATCH holds.
pub const MAX_OPERATIONS: usize = 1000;

#[derive(Debug, Deserialize)]
pub struct PatchRequest {
    #[serde(default)]
    pub schemas: Vec<String>,
    #[serde(rename = "Operations", alias = "operations")]
    pub operations: Vec<Operation>,
}

#[derive(Debug, Deserialize)]
pub struct Operation {
    pub op: String,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub value: Option<Value>,
}

/// Why a PATCH was refused, with its SCIM `scimType`.
#[derive(Debug)]
pub struct PatchError {
    pub scim_type: &'static str,
    pub detail: String,
}

fn err<T>(scim_type: &'static str, detail: impl Into<String>) -> Result<T, PatchError> {
    Err(PatchError {
        scim_type,
        detail: detail.into(),
    })
}

pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Add,
    Replace,
    Remove,
}

/// A PATCH path: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`.
#[derive(Debug)]
struct Path {
    attr: String,
    filter: Option<Filter>,
    sub: Option<String>,
}

fn parse_path(raw: &str) -> Result<Path, PatchError> {
    let raw = raw.trim();
    let bad = || PatchError {
        scim_type: "invalidPath",
        detail: format!("`{raw}` is not a valid path"),
    };
    if let Some(open) = raw.find('[') {
        let close = raw.rfind(']').ok_or_else(bad)?;
        if close < open {
            return Err(bad());
        }
        let attr = AttrPath::parse(&raw[..open])
            .filter(|p| p.sub.is_none())
            .ok_or_else(bad)?;
        let inner = filter::parse(&raw[open + 1..close]).map_err(|e| PatchError {
            scim_type: "invalidFilter",
            detail: e.0,
        })?;
        let rest = &raw[close + 1..];
        let sub = match rest.strip_prefix('.') {
            Some(s) => Some(
                AttrPath::parse(s)
                    .filter(|p| p.sub.is_none())
                    .ok_or_else(bad)?
                    .attr,
            ),
            None if rest.is_empty() => None,
            None => return Err(bad()),
        };
        return Ok(Path {
            attr: attr.attr,
            filter: Some(inner),
            sub,
        });
    }
    let p = AttrPath::parse(raw).ok_or_else(bad)?;
    Ok(Path {
        attr: p.attr,
        filter: None,
        sub: p.sub,
    })
}

/// Applies `request` to `resource` (a JSON object whose keys are the
/// schema's own spelling). `multi` names the multi-valued attributes
/// (lower-case), which `add` appends to; none may hold more than `most`
/// values, in an op or after it.
pub fn apply(
    resource: &mut Value,
    request: PatchRequest,
    multi: &[&str],
    most: usize,
) -> Result<(), PatchError> {
    if !request.schemas.iter().any(|s| s == PATCH_SCHEMA) {
        return err("invalidSyntax", format!("schemas must hold {PATCH_SCHEMA}"));
    }
    if request.operations.is_empty() {
        return err(
            "invalidSyntax",
            "Operations must hold at least one operation",
        );
    }
    if request.operations.len() > MAX_OPERATIONS {
        return err(
            "tooMany",
            format!("at most {MAX_OPERATIONS} operations a PATCH"),
        );
    }
    for op in request.operations {
        if op
            .value
            .as_ref()
            .and_then(Value::as_array)
            .is_some_and(|v| v.len() > most)
        {
            return err("tooMany", format!("at most {most} values an operation"));
        }
        let kind = match op.op.to_ascii_lowercase().as_str() {
            "add" => Kind::Add,
            "replace" => Kind::Replace,
            "remove" => Kind::Remove,
            other => {
                return err(
                    "invalidSyntax",
                    format!("`{other}` is not add, replace or remove"),
                )
            }
        };
        let path = op.path.as_deref().filter(|p| !p.trim().is_empty());
        match (kind, path, op.value) {
            (Kind::Remove, None, _) => return err("noTarget", "remove needs a path"),
            (Kind::Remove, Some(path), value) => remove(resource, &parse_path(path)?, value)?,
            (_, _, None) => return err("invalidValue", "add and replace need a value"),
            (kind, None, Some(value)) => {
                let Value::Object(map) = value else {
                    return err(
                        "invalidValue",
                        "add or replace with no path takes an object",
                    );
                };
                for (key, v) in map {
                    // `{"urn:…:enterprise:2.0:User": {…}}` and plain keys alike.
                    if filter::URNS.iter().any(|u| u.eq_ignore_ascii_case(&key)) {
                        if let Value::Object(inner) = v {
                            for (k, v) in inner {
                                set(resource, &parse_path(&k)?, v, kind, multi)?;
                            }
                        }
                        continue;
                    }
                    // Another schema's attributes: not roster's to keep.
                    if key.to_ascii_lowercase().starts_with("urn:")
                        && AttrPath::parse(&key).is_none()
                    {
                        continue;
                    }
                    set(resource, &parse_path(&key)?, v, kind, multi)?;
                }
            }
            (kind, Some(path), Some(value)) => {
                set(resource, &parse_path(path)?, value, kind, multi)?
            }
        }
        let too_long = resource.as_object().is_some_and(|m| {
            m.iter().any(|(k, v)| {
                multi.iter().any(|a| k.eq_ignore_ascii_case(a))
                    && v.as_array().is_some_and(|items| items.len() > most)
            })
        });
        if too_long {
            return err("tooMany", format!("at most {most} values an attribute"));
        }
    }
    Ok(())
}

/// What tells two elements of a multi-valued attribute apart: their
/// `value` (or the whole element when it has none).
fn identity(item: &Value) -> String {
    match get_ci(item, "value") {
        Some(v) => v.to_string(),
        None => item.to_string(),
    }
}

/// The key of `attr` in `object` as it is spelt there, or `attr` itself.
fn key_of(object: &Map<String, Value>, attr: &str, spelling: &dyn Fn(&str) -> String) -> String {
    object
        .keys()
        .find(|k| k.eq_ignore_ascii_case(attr))
        .cloned()
        .unwrap_or_else(|| spelling(attr))
}

/// The schema's spelling of a lower-cased attribute name.
fn spelt(attr: &str) -> String {
    const NAMES: &[&str] = &[
        "userName",
        "name",
        "givenName",
        "familyName",
        "formatted",
        "displayName",
        "emails",
        "value",
        "type",
        "primary",
        "display",
        "active",
        "externalId",
        "roles",
        "members",
        "groups",
        "title",
        "nickName",
    ];
    NAMES
        .iter()
        .find(|n| n.eq_ignore_ascii_case(attr))
        .map_or_else(|| attr.to_string(), |n| n.to_string())
}

fn object(resource: &mut Value) -> Result<&mut Map<String, Value>, PatchError> {
    match resource {
        Value::Object(map) => Ok(map),
        _ => err("invalidPath", "the path names no object"),
    }
}

fn set(
    resource: &mut Value,
    path: &Path,
    value: Value,
    kind: Kind,
    multi: &[&str],
) -> Result<(), PatchError> {
    let is_multi = multi.contains(&path.attr.as_str());
    let map = object(resource)?;
    let key = key_of(map, &path.attr, &spelt);
    match (&path.filter, &path.sub) {
        (None, None) => {
            if is_multi {
                let new = match value {
                    Value::Array(items) => items,
                    one => vec![one],
                };
                let list = map.entry(key).or_insert_with(|| Value::Array(Vec::new()));
                if kind == Kind::Replace || !list.is_array() {
                    *list = Value::Array(Vec::new());
                }
                if let Value::Array(items) = list {
                    let mut seen: HashSet<String> = items.iter().map(identity).collect();
                    for item in new {
                        if seen.insert(identity(&item)) {
                            items.push(item);
                        }
                    }
                }
            } else if let (Kind::Add, Value::Object(fields)) = (kind, &value) {
                // Adding to a complex attribute merges its sub-attributes.
                let target = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
                match target {
                    Value::Object(t) => {
                        for (k, v) in fields {
                            let k = key_of(t, k, &spelt);
                            t.insert(k, v.clone());
                        }
                    }
                    other => *other = value,
                }
            } else {
                map.insert(key, value);
            }
        }
        (None, Some(sub)) => {
            let target = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
            match target {
                Value::Object(t) => {
                    let k = key_of(t, sub, &spelt);
                    t.insert(k, value);
                }
                Value::Array(items) if is_multi => {
                    // `emails.value`: on each element (RFC 7644 §3.5.2.3).
                    for item in items.iter_mut() {
                        if let Value::Object(t) = item {
                            let k = key_of(t, sub, &spelt);
                            t.insert(k, value.clone());
                        }
                    }
                }
                other => {
                    let mut t = Map::new();
                    t.insert(spelt(sub), value);
                    *other = Value::Object(t);
                }
            }
        }
        (Some(f), sub) => {
            let list = map.entry(key).or_insert_with(|| Value::Array(Vec::new()));
            if !list.is_array() {
                *list = Value::Array(Vec::new());
            }
            let Value::Array(items) = list else {
                return err("invalidPath", "the path names no list");
            };
            let mut matched = false;
            for item in items.iter_mut().filter(|i| filter::matches(f, i)) {
                matched = true;
                match (sub, &value) {
                    (Some(sub), v) => {
                        if let Value::Object(t) = item {
                            let k = key_of(t, sub, &spelt);
                            t.insert(k, v.clone());
                        }
                    }
                    (None, Value::Object(fields)) => {
                        if let Value::Object(t) = item {
                            for (k, v) in fields {
                                let k = key_of(t, k, &spelt);
                                t.insert(k, v.clone());
                            }
                        }
                    }
                    (None, other) => *item = other.clone(),
                }
            }
            if !matched {
                // Nothing matched: the element the filter describes is made
                // (`emails[type eq "work"].value` on a user with none).
                let mut made = Map::new();
                seed(f, &mut made);
                match (sub, value) {
                    (Some(sub), v) => {
                        made.insert(spelt(sub), v);
                    }
                    (None, Value::Object(fields)) => made.extend(fields),
                    (None, _) => return err("invalidValue", "a filtered path takes an object"),
                }
                items.push(Value::Object(made));
            }
        }
    }
    Ok(())
}

/// The `attr eq "value"` parts of a filter, as fields of a new element.
fn seed(f: &Filter, out: &mut Map<String, Value>) {
    match f {
        Filter::Compare(p, filter::CompareOp::Eq, v) if p.sub.is_none() => {
            out.insert(spelt(&p.attr), v.clone());
        }
        Filter::And(a, b) => {
            seed(a, out);
            seed(b, out);
        }
        _ => {}
    }
}

fn remove(resource: &mut Value, path: &Path, value: Option<Value>) -> Result<(), PatchError> {
    let map = object(resource)?;
    let Some(key) = map
        .keys()
        .find(|k| k.eq_ignore_ascii_case(&path.attr))
        .cloned()
    else {
        return Ok(()); // nothing there: removing it changes nothing
    };
    match (&path.filter, &path.sub) {
        (None, None) => match (map.get_mut(&key), value) {
            // Entra: `{"op": "Remove", "path": "members", "value": [{"value": id}]}`.
            (Some(Value::Array(items)), Some(Value::Array(gone))) => {
                let gone: HashSet<String> = gone.iter().map(identity).collect();
                items.retain(|i| !gone.contains(&identity(i)));
            }
            (Some(Value::Array(items)), Some(one @ Value::Object(_))) => {
                let gone = identity(&one);
                items.retain(|i| identity(i) != gone);
            }
            _ => {
                map.remove(&key);
            }
        },
        (None, Some(sub)) => match map.get_mut(&key) {
            Some(Value::Object(t)) => {
                t.retain(|k, _| !k.eq_ignore_ascii_case(sub));
            }
            Some(Value::Array(items)) => {
                for item in items.iter_mut() {
                    if let Value::Object(t) = item {
                        t.retain(|k, _| !k.eq_ignore_ascii_case(sub));
                    }
                }
            }
            _ => {}
        },
        (Some(f), sub) => {
            if let Some(Value::Array(items)) = map.get_mut(&key) {
                match sub {
                    None => items.retain(|i| !filter::matches(f, i)),
                    Some(sub) => {
                        for item in items.iter_mut().filter(|i| filter::matches(f, i)) {
                            if let Value::Object(t) = item {
                                t.retain(|k, _| !k.eq_ignore_ascii_case(sub));
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MULTI: &[&str] = &["emails", "members", "roles", "groups"];

    fn patch(resource: &mut Value, ops: Value) -> Result<(), PatchError> {
        let request: PatchRequest = serde_json::from_value(json!({
            "schemas": [PATCH_SCHEMA], "Operations": ops,
        }))
        .unwrap();
        apply(resource, request, MULTI, 100)
    }

    fn user() -> Value {
        json!({
            "userName": "ada@example.com", "active": true,
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"value": "ada@example.com", "type": "work", "primary": true}],
        })
    }

    #[test]
    fn entra_shapes_are_read() {
        let mut u = user();
        patch(&mut u, json!([
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "Replace", "value": {"name.givenName": "Augusta", "externalId": "X"}},
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "aa@example.com"},
        ]))
        .unwrap();
        assert_eq!(u["active"], "False");
        assert_eq!(u["name"]["givenName"], "Augusta");
        assert_eq!(u["name"]["familyName"], "Lovelace");
        assert_eq!(u["externalId"], "X");
        assert_eq!(u["emails"][0]["value"], "aa@example.com");
    }

    #[test]
    fn a_filtered_replace_that_matches_nothing_makes_the_element() {
        let mut u = json!({"userName": "a@b.c"});
        patch(
            &mut u,
            json!([
                {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "a@b.c"},
            ]),
        )
        .unwrap();
        assert_eq!(u["emails"], json!([{"type": "work", "value": "a@b.c"}]));
    }

    #[test]
    fn members_are_added_and_removed_in_every_shape() {
        let mut g = json!({"displayName": "Eng", "members": []});
        patch(&mut g, json!([
            {"op": "Add", "path": "members", "value": [{"value": "u1"}, {"value": "u2"}, {"value": "u3"}]},
            {"op": "add", "path": "members", "value": [{"value": "u1"}]},
        ]))
        .unwrap();
        assert_eq!(g["members"].as_array().unwrap().len(), 3);
        patch(
            &mut g,
            json!([
                {"op": "remove", "path": "members[value eq \"u1\"]"},
                {"op": "Remove", "path": "members", "value": [{"value": "u2"}]},
            ]),
        )
        .unwrap();
        assert_eq!(g["members"], json!([{"value": "u3"}]));
        patch(
            &mut g,
            json!([{"op": "replace", "path": "members", "value": [{"value": "u9"}]}]),
        )
        .unwrap();
        assert_eq!(g["members"], json!([{"value": "u9"}]));
        patch(&mut g, json!([{"op": "remove", "path": "members"}])).unwrap();
        assert!(g.get("members").is_none());
    }

    #[test]
    fn bad_patches_are_refused_with_their_scim_type() {
        let cases = [
            (json!([{"op": "remove"}]), "noTarget"),
            (
                json!([{"op": "move", "path": "active", "value": true}]),
                "invalidSyntax",
            ),
            (json!([{"op": "add", "path": "active"}]), "invalidValue"),
            (
                json!([{"op": "add", "path": "emails[type eq", "value": 1}]),
                "invalidPath",
            ),
            (
                json!([{"op": "add", "path": "emails[type zz \"x\"]", "value": 1}]),
                "invalidFilter",
            ),
            (
                json!([{"op": "replace", "value": "not an object"}]),
                "invalidValue",
            ),
            (json!([]), "invalidSyntax"),
            (
                json!([{"op": "add", "path": "emails", "value": vec![json!({"value": "x"}); 101]}]),
                "tooMany",
            ),
        ];
        for (ops, want) in cases {
            let mut u = user();
            let e = patch(&mut u, ops.clone()).expect_err(&ops.to_string());
            assert_eq!(e.scim_type, want, "{ops}");
        }
    }
}
