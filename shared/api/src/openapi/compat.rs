//! A compatibility route's entry in the document: the replaced APIs'
//! method, path, query parameters, body and answers, with their error
//! model (a refused rule is 499, its code in the `error-code` header).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::{error_answer, examples, takes_empty, value, Generators};
use crate::compat::{Answer, Auth, Route};

/// `GET /api/v1/user/get_all_users` → `compatGetApiV1UserGetAllUsers`.
pub(crate) fn operation_id(route: &Route) -> String {
    let mut id = format!(
        "compat{}",
        capitalised(&route.method.as_str().to_lowercase())
    );
    for part in route.path.split(['/', '_']).filter(|p| !p.is_empty()) {
        id.push_str(&capitalised(part));
    }
    id
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The tag of the API a route belongs to.
pub(crate) fn api_of(route: &Route) -> &'static str {
    if route.path.starts_with("/api/") {
        "hosted API"
    } else {
        "local API"
    }
}

pub(crate) fn operation(route: &Route, generators: &mut Generators) -> Value {
    let id = operation_id(route);
    let mut entry = json!({
        "operationId": id,
        "summary": route.summary,
        "description": format!(
            "The replaced API's `{} {}`; runs roster's `{}`. Bodies may carry fields \
             they don't name (a client may send a whole object).",
            route.method.as_str(), route.path, route.uses
        ),
        "tags": [api_of(route)],
        "x-roster-function": route.function.name(),
        "x-roster-uses": route.uses,
        "security": match route.auth {
            Auth::Public => json!([]),
            Auth::Bearer => json!([{"bearer": []}]),
            Auth::QueryToken => json!([{"queryToken": []}]),
        },
        "responses": responses(route, generators),
    });
    if let Some(query) = route.query {
        entry["parameters"] = parameters(value(query(&mut generators.queries)));
    }
    if let Some(body) = route.body {
        let schema = value(body(&mut generators.requests));
        entry["requestBody"] = json!({
            "required": !takes_empty(&schema, &generators.requests),
            "content": {"application/json": {
                "schema": schema,
                "example": examples::compat_request(route.path),
            }},
        });
    }
    entry
}

/// A query type's properties as query parameters (`null` means nothing
/// in a query string, so an optional one is just left out).
fn parameters(schema: Value) -> Value {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut params = Vec::new();
    if let Some(properties) = schema["properties"].as_object() {
        for (name, property) in properties {
            let mut property = not_null(property.clone());
            let description = property
                .as_object_mut()
                .and_then(|p| p.remove("description"))
                .unwrap_or(Value::Null);
            let mut param = json!({
                "name": name,
                "in": "query",
                "required": required.contains(&name.as_str()),
                "schema": property,
            });
            if !description.is_null() {
                param["description"] = description;
            }
            params.push(param);
        }
    }
    Value::Array(params)
}

/// The schema without its `null` alternative.
fn not_null(schema: Value) -> Value {
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let rest: Vec<&Value> = any.iter().filter(|s| s["type"] != "null").collect();
        if rest.len() == 1 && any.len() == 2 {
            let mut only = rest[0].clone();
            if let (Some(o), Some(d)) = (only.as_object_mut(), schema.get("description")) {
                o.entry("description").or_insert(d.clone());
            }
            return only;
        }
    }
    if let Some(types) = schema.get("type").and_then(Value::as_array) {
        let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if rest.len() == 1 {
            let mut schema = schema.clone();
            schema["type"] = rest[0].clone();
            return schema;
        }
    }
    schema
}

fn responses(route: &Route, generators: &mut Generators) -> Value {
    let mut out = Map::new();
    let ok = match &route.answer {
        Answer::Json(schema) => json!({
            "description": "Done.",
            "content": {"application/json": {
                "schema": value(schema(&mut generators.answers)),
                "example": examples::compat_answer(route.path),
            }},
        }),
        Answer::Text => json!({
            "description": "Done: the answer as text.",
            "content": {"text/plain": {
                "schema": {"type": "string"},
                "example": examples::compat_answer(route.path),
            }},
        }),
        Answer::Empty => json!({"description": "Done (an empty body)."}),
    };
    out.insert("200".into(), ok);
    let mut by_status: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
    for (status, code) in route.errors() {
        by_status.entry(status).or_default().push(code);
    }
    for (status, codes) in by_status {
        let what = match status {
            400 => "A malformed request.".to_string(),
            401 => "A missing or bad token.".to_string(),
            499 => format!(
                "A rule refused the request: the code ({}) is in the `error-code` header and the body.",
                codes.join(", ")
            ),
            _ => format!("{}.", codes.join(", ")),
        };
        let mut answer = error_answer("CompatError", "errorCode", &codes, what);
        answer["headers"] = json!({
            "error-code": {"description": "The error's code.", "schema": {"type": "string", "enum": codes}},
        });
        out.insert(status.to_string(), answer);
    }
    Value::Object(out)
}
