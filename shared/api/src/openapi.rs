//! The OpenAPI 3.1 document, built from the operation tables: every native
//! operation (`ops::OPERATIONS`) and every compatibility route
//! (`compat::ROUTES`), with who may call it and, for native operations, the
//! JSON Schema of the request body derived from the very type its handler
//! parses (`schemars`), so a renamed field changes the document.
//!
//! Served at `GET /openapi.json` and printed by `roster-server
//! --print-openapi`.
//!
//! Not there yet (issue 11 goes on): response schemas (a success is
//! described as a JSON object), the compatibility routes' parameters and
//! bodies, examples, and each operation's own list of error codes (every
//! operation lists the error model's statuses it can answer in general).

use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

use crate::compat::{self, Auth};
use crate::ops::{Access, OPERATIONS};

/// The error model's codes, with their HTTP status (DESIGN §4).
const ERRORS: &[(&str, u16, &str)] = &[
    (
        "BAD_REQUEST",
        400,
        "not JSON, a wrong type or an unknown field",
    ),
    ("INVALID", 400, "a value breaks a rule"),
    (
        "TOKEN_INVALID",
        400,
        "a mailed link is unknown, replaced or used",
    ),
    ("TOKEN_EXPIRED", 400, "a mailed link has expired"),
    (
        "UNAUTHENTICATED",
        401,
        "no valid access token, or wrong credentials",
    ),
    ("FORBIDDEN", 403, "the caller may not do this"),
    ("NOT_FOUND", 404, "no such thing in the caller's account"),
    ("CONFLICT", 409, "it exists already, or changed meanwhile"),
    ("LIMIT_REACHED", 409, "the plan has no seat or group left"),
    ("TOO_LARGE", 413, "the request body is too large"),
    ("RATE_LIMITED", 429, "too many attempts; try later"),
    ("INTERNAL", 500, "a fault, logged with the request id"),
    (
        "UNAVAILABLE",
        503,
        "a dependency is unavailable; retry later",
    ),
];

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
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json(),
    )
        .into_response()
}

/// The whole document.
pub fn document() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "#/components/schemas".into();
            s.meta_schema = None;
        })
        .for_deserialize()
        .into_generator();
    let mut paths: Map<String, Value> = Map::new();
    for op in OPERATIONS {
        let mut operation = json!({
            "operationId": operation_id(op.path),
            "summary": op.summary,
            "tags": [op.path.split('/').next().unwrap_or("")],
            "x-roster-access": access_name(op.access),
            "x-roster-function": op.function.name(),
            "requestBody": {
                "description": "A JSON object; an empty body means `{}`.",
                "required": false,
                "content": {"application/json": {"schema": (op.request)(&mut generator)}}
            },
            "responses": responses(op.access == Access::Public),
        });
        if op.access != Access::Public {
            operation["security"] = json!([{"bearer": []}]);
        }
        add(&mut paths, &format!("/{}", op.path), "post", operation);
    }
    for route in compat::ROUTES {
        let mut operation = json!({
            "operationId": compat_operation_id(route),
            "summary": format!("Compatibility route; runs `{}`", route.uses),
            "tags": [if route.path.starts_with("/api/") { "hosted API" } else { "local API" }],
            "x-roster-function": route.function.name(),
            "responses": {
                "200": {"description": "As the replaced API's document says."},
                "400": {"description": "A malformed request."},
                "401": {"description": "A missing or bad token."},
                "499": {"description": "A rule refused the request: the code is in the `error-code` header and the body."}
            },
        });
        match route.auth {
            Auth::Public => operation["security"] = json!([]),
            Auth::Bearer => operation["security"] = json!([{"bearer": []}]),
            Auth::QueryToken => operation["security"] = json!([{"queryToken": []}]),
        }
        add(
            &mut paths,
            route.path,
            &route.method.as_str().to_lowercase(),
            operation,
        );
    }
    let mut schemas = generator.take_definitions(true);
    schemas.insert("Error".into(), error_schema());
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "roster",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "User and team management: accounts, users with roles, invites, \
                signup, login with TOTP MFA, groups and plan seats. Every native operation is \
                `POST /<resource>/<action>` with a JSON object body; paged operations take \
                `limit`, `next`, `prev` and `index` in the query string.",
        },
        "security": [],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "roster's access token, from `user/login` or `user/refresh`.",
                },
                "queryToken": {
                    "type": "apiKey",
                    "in": "query",
                    "name": "token",
                    "description": "roster's access token, for the local API (never logged).",
                },
            },
        },
    })
}

fn add(paths: &mut Map<String, Value>, path: &str, method: &str, operation: Value) {
    let item = paths
        .entry(path.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(item) = item {
        item.insert(method.to_string(), operation);
    }
}

/// `user/updateRole` → `userUpdateRole`.
fn operation_id(path: &str) -> String {
    let mut id = String::new();
    let mut upper = false;
    for c in path.chars() {
        if c == '/' {
            upper = true;
        } else if upper {
            id.extend(c.to_uppercase());
            upper = false;
        } else {
            id.push(c);
        }
    }
    id
}

/// `GET /api/v1/user/get_all_users` → `compatGetApiV1UserGetAllUsers`.
fn compat_operation_id(route: &compat::Route) -> String {
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

fn access_name(access: Access) -> &'static str {
    match access {
        Access::Public => "public",
        Access::Member => "member",
        Access::SelfOrAdmin => "self, or an admin for others",
        Access::SelfOnly => "self",
        Access::Admin => "admin",
    }
}

/// The success and the error model's statuses.
fn responses(public: bool) -> Value {
    let mut out = Map::new();
    out.insert(
        "200".into(),
        json!({
            "description": "The result, a JSON object.",
            "content": {"application/json": {"schema": {"type": "object"}}}
        }),
    );
    let mut statuses: Vec<u16> = ERRORS.iter().map(|(_, status, _)| *status).collect();
    statuses.dedup();
    for status in statuses {
        if public && status == 401 {
            continue;
        }
        let codes: Vec<String> = ERRORS
            .iter()
            .filter(|(_, s, _)| *s == status)
            .map(|(code, _, what)| format!("`{code}`: {what}"))
            .collect();
        out.insert(
            status.to_string(),
            json!({
                "description": codes.join("; "),
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            }),
        );
    }
    Value::Object(out)
}

fn error_schema() -> Value {
    let codes: Vec<&str> = ERRORS.iter().map(|(code, _, _)| *code).collect();
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "additionalProperties": false,
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "enum": codes},
                    "message": {"type": "string"},
                    "field": {"type": "string", "description": "The input at fault, when one is."}
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_as_the_path() {
        assert_eq!(operation_id("user/updateRole"), "userUpdateRole");
        assert_eq!(operation_id("group/ofUser"), "groupOfUser");
    }
}
