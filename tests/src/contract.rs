//! The OpenAPI document as the suite's referee: every exchange the black-box
//! suite makes through [`crate::app::TestApp`] is held to it, on whichever
//! backend the suite runs.
//!
//! - The answer's status is one its operation documents, with the
//!   documented content type, and its body validates against that
//!   answer's schema (formats included).
//! - A request the handler refused as malformed (`BAD_REQUEST`, or the
//!   replaced APIs' 400) does not fit the request's schema: a schema that
//!   took it would promise what the handler refuses.
//! - A request that does not fit its schema is not answered with success.
//!
//! Paths the document does not name (pages, `/health`, unknown routes) are
//! not operations and are let through; the document's completeness is
//! `tests/tests/api/openapi.rs`'s to check.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use jsonschema::Validator;
use serde_json::{json, Value};

static DOCUMENT: LazyLock<Value> = LazyLock::new(roster_api::openapi::document);

static VALIDATORS: LazyLock<Mutex<HashMap<String, Arc<Validator>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The document every check reads.
pub fn document() -> &'static Value {
    &DOCUMENT
}

/// A validator for `schema`, whose `$ref`s point into the document's
/// components, asserting formats or not. Cached by `key`.
///
/// A request's formats are only annotations: roster trims an e-mail
/// before it checks it (DESIGN §3), so `" ada@example.com"` is taken,
/// which the `email` format would refuse; the pattern says what is taken.
pub fn validator(key: &str, schema: &Value, formats: bool) -> Arc<Validator> {
    let key = format!("{key} formats={formats}");
    let key = key.as_str();
    let mut cache = VALIDATORS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(v) = cache.get(key) {
        return v.clone();
    }
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": DOCUMENT["components"],
        "allOf": [schema],
    });
    let v = Arc::new(
        jsonschema::options()
            .should_validate_formats(formats)
            .build(&root)
            .unwrap_or_else(|e| panic!("{key}: the schema does not compile: {e}")),
    );
    cache.insert(key.to_string(), v.clone());
    v
}

/// Why an answer does not fit its schema, or `None` when it does.
pub fn misfit(key: &str, schema: &Value, instance: &Value) -> Option<String> {
    why(validator(key, schema, true), instance)
}

/// Why a request does not fit its schema, or `None` when it does.
pub fn misfit_request(key: &str, schema: &Value, instance: &Value) -> Option<String> {
    why(validator(key, schema, false), instance)
}

fn why(v: Arc<Validator>, instance: &Value) -> Option<String> {
    let errors: Vec<String> = v
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    (!errors.is_empty()).then(|| errors.join("; "))
}

/// One exchange, as the suite saw it.
pub struct Exchange<'a> {
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    pub query: &'a str,
    /// The body sent (empty: none).
    pub body: &'a [u8],
    pub status: u16,
    pub content_type: Option<&'a str>,
    pub answer: &'a [u8],
}

/// Sends `req` through `router` and holds the exchange to the document:
/// the answer's status, headers and body.
pub async fn send_checked(
    router: axum::Router,
    req: axum::http::Request<axum::body::Body>,
) -> (
    axum::http::StatusCode,
    axum::http::HeaderMap,
    axum::body::Bytes,
) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let (parts, body) = req.into_parts();
    let sent = body.collect().await.unwrap().to_bytes();
    let (method, path, query) = (
        parts.method.to_string(),
        parts.uri.path().to_string(),
        parts.uri.query().unwrap_or("").to_string(),
    );
    let req = axum::http::Request::from_parts(parts, axum::body::Body::from(sent.clone()));
    let response = router.oneshot(req).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok());
    check(&Exchange {
        method: &method,
        path: &path,
        query: &query,
        body: &sent,
        status: status.as_u16(),
        content_type,
        answer: &bytes,
    });
    (status, headers, bytes)
}

/// Holds one exchange to the document; panics, saying why, when it breaks it.
pub fn check(x: &Exchange) {
    let Some(item) = path_item(x.path) else {
        return;
    };
    let method = x.method.to_ascii_lowercase();
    let Some(operation) = item.get(&method) else {
        assert_eq!(
            x.status, 405,
            "{} {}: a method the document doesn't name must be 405",
            x.method, x.path
        );
        return;
    };
    let label = format!("{} {}", x.method, x.path);
    check_answer(&label, operation, x);
    check_request(&label, operation, x);
}

fn check_answer(label: &str, operation: &Value, x: &Exchange) {
    let answer_text = String::from_utf8_lossy(x.answer);
    let Some(response) = operation["responses"].get(x.status.to_string()) else {
        panic!(
            "{label}: answered {}, which the document doesn't list for it: {answer_text}",
            x.status
        );
    };
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        assert!(
            x.answer.is_empty(),
            "{label} {}: the document says no body, got {answer_text}",
            x.status
        );
        return;
    };
    let media = x
        .content_type
        .and_then(|c| c.split(';').next())
        .map(str::trim)
        .unwrap_or("");
    let Some(documented) = content.get(media) else {
        panic!(
            "{label} {}: content type {media:?}, the document says {:?}",
            x.status,
            content.keys().collect::<Vec<_>>()
        );
    };
    if media != "application/json" && !media.ends_with("+json") {
        return;
    }
    let body: Value = serde_json::from_slice(x.answer)
        .unwrap_or_else(|_| panic!("{label} {}: not JSON: {answer_text}", x.status));
    let key = format!("{label} {} answer", x.status);
    if let Some(why) = misfit(&key, &documented["schema"], &body) {
        panic!(
            "{label} {}: the answer breaks its schema: {why}\n{body}",
            x.status
        );
    }
}

/// Whether the request fits the document: its query parameters and body.
fn fits(label: &str, operation: &Value, x: &Exchange) -> Result<(), String> {
    // The query's parameters (a path's `{id}` and headers are not checked here).
    let params: Vec<&Value> = operation["parameters"]
        .as_array()
        .map(|p| p.iter().filter(|p| p["in"] == "query").collect())
        .unwrap_or_default();
    let query_token = operation["security"] == json!([{"queryToken": []}]);
    let pairs: Vec<(String, String)> = match serde_urlencoded_pairs(x.query) {
        Some(p) => p,
        None => return Err("the query string is malformed".into()),
    };
    let mut seen: Vec<&str> = Vec::new();
    for (name, value) in &pairs {
        if query_token && name == "token" {
            continue;
        }
        let Some(param) = params.iter().find(|p| p["name"] == name.as_str()) else {
            return Err(format!("query parameter {name} is not in the document"));
        };
        if seen.contains(&name.as_str()) {
            return Err(format!("query parameter {name} is given twice"));
        }
        seen.push(name);
        let schema = &param["schema"];
        let typed = query_value(value, schema);
        if let Some(why) = misfit_request(&format!("{label} ?{name}"), schema, &typed) {
            return Err(format!("query parameter {name}: {why}"));
        }
    }
    for param in &params {
        let name = param["name"].as_str().unwrap_or("");
        if param["required"] == true && !seen.contains(&name) {
            return Err(format!("query parameter {name} is required"));
        }
    }
    if seen.contains(&"next") && seen.contains(&"prev") {
        return Err("next and prev together".into());
    }
    let Some(request) = operation.get("requestBody") else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(x.body);
    let body: Value = if x.body.is_empty() {
        if request["required"] == true {
            return Err("the body is required".into());
        }
        return Ok(());
    } else {
        match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(_) => return Err("the body is not JSON".into()),
        }
    };
    // Its one media type: JSON, or SCIM's JSON.
    let schema = request["content"]
        .as_object()
        .and_then(|c| c.values().next())
        .map_or(&Value::Null, |m| &m["schema"]);
    match misfit_request(&format!("{label} request"), schema, &body) {
        Some(why) => Err(format!("the body: {why}")),
        None => Ok(()),
    }
}

fn check_request(label: &str, operation: &Value, x: &Exchange) {
    let malformed = x.status == 400
        && serde_json::from_slice::<Value>(x.answer)
            .map(|a| {
                a["error"]["code"] == "BAD_REQUEST"
                    || a["errorCode"] == "BAD_REQUEST"
                    || a["scimType"] == "invalidSyntax"
            })
            .unwrap_or(false);
    let fit = fits(label, operation, x);
    let body = String::from_utf8_lossy(x.body);
    if malformed {
        assert!(
            fit.is_err() || duplicate_keys(&body),
            "{label}: refused as BAD_REQUEST, yet the request fits the document (query {:?}, body {body})",
            x.query
        );
    }
    if (200..300).contains(&x.status) {
        if let Err(why) = fit {
            panic!(
                "{label}: answered {} to a request that breaks the document: {why} (query {:?}, body {body})",
                x.status, x.query
            );
        }
    }
}

/// The document's path item for a request path: the path itself, or a
/// templated one (`/scim/v2/Users/{id}`) whose other segments are equal.
fn path_item(path: &str) -> Option<&'static Value> {
    let paths = DOCUMENT["paths"].as_object()?;
    if let Some(item) = paths.get(path) {
        return Some(item);
    }
    let segments: Vec<&str> = path.split('/').collect();
    paths
        .iter()
        .filter(|(template, _)| template.contains('{'))
        .find(|(template, _)| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s)
        })
        .map(|(_, item)| item)
}

/// A query value as the schema's type reads it (`5` for an integer).
fn query_value(value: &str, schema: &Value) -> Value {
    let alternatives: Vec<&Value> = match schema.get("anyOf").and_then(Value::as_array) {
        Some(any) => any.iter().collect(),
        None => vec![schema],
    };
    for alt in alternatives {
        match alt["type"].as_str() {
            Some("integer") => {
                if let Ok(n) = value.parse::<i64>() {
                    return json!(n);
                }
            }
            Some("boolean") => {
                if let Ok(b) = value.parse::<bool>() {
                    return json!(b);
                }
            }
            _ => {}
        }
    }
    json!(value)
}

/// The pairs of a query string, decoded; `None` when it can't be.
fn serde_urlencoded_pairs(query: &str) -> Option<Vec<(String, String)>> {
    if query.is_empty() {
        return Some(Vec::new());
    }
    let uri: axum::http::Uri = format!("/?{query}").parse().ok()?;
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&uri)
        .ok()
        .map(|q| q.0)
}

/// A body naming a key twice (which the handlers refuse and no schema sees).
fn duplicate_keys(body: &str) -> bool {
    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

    /// Whether a value, or one inside it, names a key twice.
    struct Twice(bool);

    impl<'de> Deserialize<'de> for Twice {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Look).map(Twice)
        }
    }

    struct Look;

    impl<'de> Visitor<'de> for Look {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut keys = std::collections::HashSet::new();
            let mut twice = false;
            while let Some(k) = map.next_key::<String>()? {
                twice |= !keys.insert(k);
                twice |= map.next_value::<Twice>()?.0;
            }
            Ok(twice)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            let mut twice = false;
            while let Some(t) = seq.next_element::<Twice>()? {
                twice |= t.0;
            }
            Ok(twice)
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
    }

    serde_json::from_str::<Twice>(body).is_ok_and(|t| t.0)
}
