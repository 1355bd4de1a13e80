//! A SCIM route's entry in the document: its method and path, the SCIM
//! token it needs, its query parameters, body and answers in
//! `application/scim+json`, and its errors as SCIM Error objects.

use serde_json::{json, Map, Value};

use super::{value, Generators};
use crate::scim::{Method, Route, ScimQuery};

pub const TAG: &str = "SCIM";

/// `GET /scim/v2/Users/{id}` → `scimGetUsersId`.
pub(crate) fn operation_id(route: &Route) -> String {
    let mut id = format!("scim{}", capitalised(&route.method.as_str().to_lowercase()));
    for part in route.path.split('/').filter(|p| !p.is_empty()) {
        match part {
            "scim" | "v2" => {}
            "{id}" => id.push_str("Id"),
            ".search" => id.push_str("Search"),
            p => id.push_str(&capitalised(p)),
        }
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

fn query_parameters(route: &Route) -> Vec<Value> {
    let text = |name: &str, description: &str| {
        json!({"name": name, "in": "query", "required": false, "description": description,
               "schema": {"type": "string"}})
    };
    let number = |name: &str, description: &str| {
        json!({"name": name, "in": "query", "required": false, "description": description,
               "schema": {"type": "integer", "minimum": i32::MIN, "maximum": i32::MAX}})
    };
    let shape = [
        text(
            "attributes",
            "Only these attributes (comma-separated), with `id` and `schemas`.",
        ),
        text(
            "excludedAttributes",
            "All attributes but these (comma-separated).",
        ),
    ];
    match route.query {
        ScimQuery::None => Vec::new(),
        ScimQuery::Shape => shape.to_vec(),
        ScimQuery::List => {
            let mut all = vec![
                text(
                    "filter",
                    "A SCIM filter, e.g. `userName eq \"ada@example.com\"`.",
                ),
                number("startIndex", "The first result, from 1 (below 1 is 1)."),
                number(
                    "count",
                    "Results per page: 100 unless given, at most 1,000 (below 0 is 0).",
                ),
            ];
            all.extend(shape);
            all
        }
    }
}

fn error_answer(status: u16) -> Value {
    let what = match status {
        400 => "A malformed or refused request: `scimType` says why (`invalidSyntax`, `invalidValue`, `invalidFilter`, `invalidPath`, `noTarget`, `mutability`, `tooMany`).",
        401 => "No valid SCIM token (or its admin is no longer an admin).",
        403 => "Not allowed: the owner, or granting `owner`.",
        404 => "No such resource in this account.",
        409 => "A `userName` or `displayName` taken (`uniqueness`), or the plan has no room.",
        412 => "`If-Match` names a version that is no longer current.",
        413 => "The body is too large (1 MiB).",
        415 => "The body is not `application/scim+json` or `application/json`.",
        500 => "A fault (logged with the request id).",
        503 => "A dependency is down, or the resource kept changing: retry.",
        _ => "An error.",
    };
    json!({
        "description": what,
        "content": {"application/scim+json": {"schema": {"$ref": "#/components/schemas/ScimError"}}},
    })
}

pub(crate) fn operation(route: &Route, generators: &mut Generators) -> Value {
    let mut entry = json!({
        "operationId": operation_id(route),
        "summary": route.summary,
        "description": "SCIM 2.0 (RFC 7643, 7644) with one of the account's SCIM tokens \
            (`account/scimTokenCreate`). Attribute names are read in any case; bodies may \
            carry attributes roster does not keep.",
        "tags": [TAG],
        "x-roster-function": crate::scim::FUNCTION.name(),
        "security": [{"scimToken": []}],
    });
    let mut parameters = Vec::new();
    if route.path.contains("{id}") {
        parameters.push(
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}),
        );
    }
    parameters.extend(query_parameters(route));
    if matches!(route.method, Method::Put | Method::Patch | Method::Delete) {
        parameters.push(json!({
            "name": "If-Match", "in": "header", "required": false,
            "description": "The version (`meta.version`, the `ETag`) the change rests on; `*` is any.",
            "schema": {"type": "string", "pattern": "^(\\*|(W/)?\"[0-9]{1,18}\")$"},
        }));
    }
    if !parameters.is_empty() {
        entry["parameters"] = Value::Array(parameters);
    }
    if let Some(body) = route.body {
        let schema = value(body(&mut generators.requests));
        let example = examples::scim_request(route.method.as_str(), route.path);
        // `application/json` is taken as well (as RFC 7644 §3.1 allows); one
        // media type here keeps generated clients to one body type.
        entry["requestBody"] = json!({
            "required": true,
            "description": "`application/scim+json` (or `application/json`).",
            "content": {"application/scim+json": {"schema": schema, "example": example}},
        });
    }
    let mut responses = Map::new();
    let (status, answer) = route.answer;
    let ok = match answer {
        Some(schema) => json!({
            "description": "Done.",
            "content": {"application/scim+json": {
                "schema": value(schema(&mut generators.answers)),
                "example": examples::scim_answer(route.method.as_str(), route.path),
            }},
        }),
        None if status == 204 => json!({"description": "Done (no body)."}),
        None => error_answer(status),
    };
    responses.insert(status.to_string(), ok);
    for status in route.error_statuses() {
        responses
            .entry(status.to_string())
            .or_insert_with(|| error_answer(status));
    }
    entry["responses"] = Value::Object(responses);
    if !route.beyond.is_empty() {
        entry["x-roster-beyond-schema"] = json!(route.beyond);
        entry["x-roster-schema-complete"] = json!(false);
    }
    entry
}

/// Examples of SCIM bodies, held to their schemas by the tests like every
/// other example.
pub(crate) mod examples {
    use serde_json::{json, Value};

    const USER: &str = "01JD8X6S2M3W5T0K4E9Q7R1B2C";
    const GROUP: &str = "01JD8X7A4B5C6D7E8F9G0H1J2K";
    const BASE: &str = "https://roster.example.com/scim/v2";
    const AT: &str = "2026-11-23T09:30:00.000Z";
    const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
    const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
    const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    fn user_in() -> Value {
        json!({
            "schemas": [USER_SCHEMA],
            "userName": "grace@example.com",
            "name": {"givenName": "Grace", "familyName": "Hopper"},
            "emails": [{"value": "grace@example.com", "type": "work", "primary": true}],
            "active": true,
            "externalId": "00u1grace",
        })
    }

    fn user() -> Value {
        json!({
            "schemas": [USER_SCHEMA],
            "id": USER,
            "externalId": "00u1grace",
            "userName": "grace@example.com",
            "name": {"givenName": "Grace", "familyName": "Hopper"},
            "emails": [{"value": "grace@example.com", "type": "work", "primary": true}],
            "active": true,
            "groups": [{"value": GROUP, "display": "Engineering", "$ref": format!("{BASE}/Groups/{GROUP}")}],
            "meta": {"resourceType": "User", "created": AT, "lastModified": AT,
                     "location": format!("{BASE}/Users/{USER}"), "version": "W/\"3\""},
        })
    }

    fn group() -> Value {
        json!({
            "schemas": [GROUP_SCHEMA],
            "id": GROUP,
            "displayName": "Engineering",
            "members": [{"value": USER, "type": "User", "$ref": format!("{BASE}/Users/{USER}")}],
            "meta": {"resourceType": "Group", "created": AT, "lastModified": AT,
                     "location": format!("{BASE}/Groups/{GROUP}"), "version": "W/\"2\""},
        })
    }

    fn list(resources: Vec<Value>) -> Value {
        json!({"schemas": [LIST], "totalResults": resources.len(), "startIndex": 1,
               "itemsPerPage": resources.len(), "Resources": resources})
    }

    fn search() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": "userName eq \"grace@example.com\"",
            "startIndex": 1,
            "count": 10,
        })
    }

    pub(crate) fn scim_request(method: &str, path: &str) -> Value {
        match (method, path) {
            ("POST", p) if p.ends_with(".search") => search(),
            ("POST" | "PUT", p) if p.contains("/Users") => user_in(),
            ("POST" | "PUT", p) if p.contains("/Groups") => {
                json!({"schemas": [GROUP_SCHEMA], "displayName": "Engineering", "members": [{"value": USER}]})
            }
            ("PATCH", p) if p.contains("/Users") => json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "active", "value": false}],
            }),
            ("PATCH", _) => json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "add", "path": "members", "value": [{"value": USER}]}],
            }),
            _ => json!({}),
        }
    }

    pub(crate) fn scim_answer(method: &str, path: &str) -> Value {
        match (method, path) {
            ("GET", "/scim/v2/ServiceProviderConfig") => json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
                "patch": {"supported": true}, "filter": {"supported": true, "maxResults": 1000},
            }),
            ("GET", "/scim/v2/ResourceTypes") => list(vec![resource_type()]),
            ("GET", "/scim/v2/ResourceTypes/{id}") => resource_type(),
            ("GET", "/scim/v2/Schemas") => list(vec![
                json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"], "id": USER_SCHEMA, "name": "User"}),
            ]),
            ("GET", "/scim/v2/Schemas/{id}") => {
                json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"], "id": USER_SCHEMA, "name": "User"})
            }
            ("POST", "/scim/v2/.search") => list(vec![user(), group()]),
            ("GET", "/scim/v2/Users") | ("POST", "/scim/v2/Users/.search") => list(vec![user()]),
            (_, p) if p.starts_with("/scim/v2/Users") => user(),
            ("GET", "/scim/v2/Groups") | ("POST", "/scim/v2/Groups/.search") => list(vec![group()]),
            (_, p) if p.starts_with("/scim/v2/Groups") => group(),
            _ => json!({}),
        }
    }

    fn resource_type() -> Value {
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User",
               "name": "User", "endpoint": "/Users", "schema": USER_SCHEMA})
    }
}
