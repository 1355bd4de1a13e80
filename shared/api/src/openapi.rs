//! The OpenAPI 3.1 document, built from the operation tables: every native
//! operation (`ops::OPERATIONS`) and every compatibility route
//! (`compat::ROUTES`), each with who may call it, its query parameters, the
//! JSON Schema of its request body derived from the very type its handler
//! parses, and every answer — the successes from the view types the handler
//! serialises, the errors it can answer with the error model's schema — so a
//! renamed field, a new operation or a new error code changes the document.
//!
//! - `native`: a native operation's entry.
//! - `compat`: a compatibility route's entry.
//! - `examples`: a request and an answer for each, checked against their
//!   schemas by the tests.
//!
//! Served at `GET /openapi.json` (and read by `GET /docs`), printed by
//! `roster-server --print-openapi`.

mod compat;
mod examples;
mod native;
mod scim;

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::compat::CompatErrorBody;
use crate::error::{Code, ErrorBody};

/// Where the document is served (`GET`, public function).
pub const ROUTE: &str = "/openapi.json";

/// The document as JSON text, made once per process.
pub fn json() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| document().to_string())
}

/// Answers `GET /openapi.json`.
pub async fn serve() -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            (axum::http::header::CONTENT_TYPE, "application/json"),
            (axum::http::header::CACHE_CONTROL, "no-cache"),
        ],
        json(),
    )
        .into_response()
}

/// The generators of one document: one per direction, since a body a
/// client sends and a view roster answers are read differently (a view's
/// objects are closed: the tests hold every answer to its schema).
pub(crate) struct Generators {
    pub requests: SchemaGenerator,
    pub answers: SchemaGenerator,
    /// Query parameters: inline, so each parameter's schema stands alone.
    pub queries: SchemaGenerator,
}

fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "#/components/schemas".into();
        s.meta_schema = None;
    })
}

impl Generators {
    fn new() -> Self {
        Generators {
            requests: settings().for_deserialize().into_generator(),
            answers: settings()
                .for_serialize()
                .with_transform(RecursiveTransform(closed_objects))
                .into_generator(),
            queries: settings()
                .for_deserialize()
                .with(|s| s.inline_subschemas = true)
                .into_generator(),
        }
    }
}

/// An answer's object lists every property it has.
fn closed_objects(schema: &mut Schema) {
    if let Some(object) = schema.as_object_mut() {
        if object.contains_key("properties") && !object.contains_key("additionalProperties") {
            object.insert("additionalProperties".into(), Value::Bool(false));
        }
    }
}

/// The whole document.
pub fn document() -> Value {
    let mut generators = Generators::new();
    let mut paths: Map<String, Value> = Map::new();
    for op in crate::OPERATIONS {
        let entry = native::operation(op, &mut generators);
        add(&mut paths, &format!("/{}", op.path), "post", entry);
    }
    for route in crate::compat::ROUTES {
        let entry = compat::operation(route, &mut generators);
        let method = route.method.as_str().to_lowercase();
        add(&mut paths, route.path, &method, entry);
    }
    for route in crate::scim::ROUTES {
        let entry = scim::operation(route, &mut generators);
        let method = route.method.as_str().to_lowercase();
        add(&mut paths, route.path, &method, entry);
    }
    let schemas = components(&mut generators);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "roster",
            "version": env!("CARGO_PKG_VERSION"),
            "summary": "User and team management: accounts, users with roles, invites, signup, login with TOTP MFA, groups and plan seats.",
            "description": DESCRIPTION,
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"},
        },
        "servers": [{"url": "/", "description": "this roster"}],
        "security": [],
        "tags": tags(),
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "roster's access token, from `user/login` or `user/refresh` (15 minutes).",
                },
                "queryToken": {
                    "type": "apiKey",
                    "in": "query",
                    "name": "token",
                    "description": "roster's access token, for the local API (never logged).",
                },
                "scimToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "One of the account's SCIM tokens (`account/scimTokenCreate`), for `/scim/v2/` only.",
                },
            },
        },
    })
}

const DESCRIPTION: &str = "Every native operation is `POST /<resource>/<action>` with a JSON \
object body (an empty body means `{}`) and a JSON answer. Paged operations take `limit`, `next`, \
`prev` (and, for `user/find`, `index`) in the query string and answer `{data, next?, prev?}`. \
An error is its HTTP status and `{\"error\": {\"code\", \"message\", \"field\"}}`; each operation \
lists the codes it can answer.\n\nThe tags `hosted API` and `local API` are the two user APIs \
roster replaces, served unchanged for their clients: offset paging, `?token=` on the local API, \
and their error model (a refused rule is status 499 with its code in the `error-code` header).";

fn tags() -> Value {
    json!([
        {"name": "user", "description": "Users: sessions, invites and signup, passwords, MFA, and administering other users."},
        {"name": "account", "description": "The caller's account: its name, its plan and what is left of it, its audit log."},
        {"name": "group", "description": "Groups and who is in them."},
        {"name": "hosted API", "description": "The hosted REST user API roster replaces (`/api/v1/user/*`, bearer tokens)."},
        {"name": "local API", "description": "The desktop agent's local user and user-group API roster replaces (`?token=`)."},
        {"name": "SCIM", "description": "SCIM 2.0 provisioning of the account's users and groups by an identity provider (Okta, Entra ID), on a SCIM token."},
    ])
}

fn add(paths: &mut Map<String, Value>, path: &str, method: &str, operation: Value) {
    let item = paths
        .entry(path.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(item) = item {
        item.insert(method.to_string(), operation);
    }
}

/// The schemas of both directions, and the error models'. Both
/// generators name a shared value type (`Id`, `Email`…) the same way, and
/// it reads the same both ways.
fn components(generators: &mut Generators) -> Map<String, Value> {
    let _ = generators.answers.subschema_for::<ErrorBody<'static>>();
    let _ = generators
        .answers
        .subschema_for::<CompatErrorBody<'static>>();
    let _ = generators
        .answers
        .subschema_for::<crate::scim::shapes::Error>();
    let mut schemas = generators.requests.take_definitions(true);
    for (name, schema) in generators.answers.take_definitions(true) {
        match schemas.get(&name) {
            Some(known) if *known != schema => {
                // Tell them apart rather than let one hide the other.
                schemas.insert(format!("{name}Answer"), schema);
            }
            _ => {
                schemas.insert(name, schema);
            }
        }
    }
    codes(&mut schemas);
    schemas
}

/// Each code's status and meaning, beside the codes' schemas, for readers
/// (`/docs`) and generators alike.
fn codes(schemas: &mut Map<String, Value>) {
    let native: Vec<Value> = Code::ALL
        .iter()
        .map(|c| json!({"code": c.as_str(), "status": c.status().as_u16(), "meaning": c.meaning()}))
        .collect();
    let mut compat: Vec<(u16, &str, Vec<&str>)> = Vec::new();
    for c in Code::ALL {
        let (status, name) = crate::compat::compat_code(c);
        match compat.iter_mut().find(|(_, n, _)| *n == name) {
            Some((_, _, from)) => from.push(c.as_str()),
            None => compat.push((status, name, vec![c.as_str()])),
        }
    }
    let compat: Vec<Value> = compat
        .into_iter()
        .map(|(status, name, from)| {
            let meaning = match status {
                499 => format!("a rule refused the request (roster's {})", from.join(", ")),
                _ => Code::ALL
                    .iter()
                    .find(|c| c.as_str() == name)
                    .map_or(String::new(), |c| c.meaning().to_string()),
            };
            json!({"code": name, "status": status, "meaning": meaning})
        })
        .collect();
    for (name, list) in [("ErrorCode", native), ("CompatErrorCode", compat)] {
        if let Some(Value::Object(schema)) = schemas.get_mut(name) {
            schema.insert("x-roster-codes".into(), Value::Array(list));
        }
    }
}

/// A schema as a JSON value.
pub(crate) fn value(schema: Schema) -> Value {
    schema.to_value()
}

/// Whether a request body may be left out: its schema takes `{}`.
pub(crate) fn takes_empty(schema: &Value, generator: &SchemaGenerator) -> bool {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            match generator.definitions().get(name) {
                Some(s) => s,
                None => return false,
            }
        }
        None => schema,
    };
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        return false;
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        return any.iter().any(|s| takes_empty(s, generator));
    }
    let required = schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty());
    !required && schema.get("oneOf").is_none()
}

/// An error answer: the error model's schema with `code` held to `codes`.
pub(crate) fn error_answer(schema: &str, field: &str, codes: &[&str], what: String) -> Value {
    json!({
        "description": what,
        "content": {"application/json": {"schema": {
            "allOf": [{"$ref": format!("#/components/schemas/{schema}")}],
            "properties": code_restriction(schema, field, codes),
        }}}
    })
}

fn code_restriction(schema: &str, field: &str, codes: &[&str]) -> Value {
    let code = json!({"properties": {field: {"enum": codes}}});
    if schema == "Error" {
        json!({"error": code})
    } else {
        json!({field: {"enum": codes}})
    }
}

/// The native codes' meanings, for an error answer's description.
pub(crate) fn meanings(codes: &[Code]) -> String {
    codes
        .iter()
        .map(|c| format!("`{}`: {}", c.as_str(), c.meaning()))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_as_the_path() {
        assert_eq!(native::operation_id("user/updateRole"), "userUpdateRole");
        assert_eq!(native::operation_id("group/ofUser"), "groupOfUser");
    }

    #[test]
    fn the_two_directions_never_name_two_schemas_alike() {
        let doc = document();
        let names: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .map(|m| m.keys().filter(|k| k.ends_with("Answer")).collect())
            .unwrap_or_default();
        assert!(names.is_empty(), "{names:?}");
    }
}
