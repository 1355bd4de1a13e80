//! A native operation's entry in the document: `POST /<resource>/<action>`.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::{error_answer, examples, meanings, takes_empty, value, Generators};
use crate::error::Code;
use crate::ops::{Access, Operation, Query};

/// `user/updateRole` → `userUpdateRole`.
pub(crate) fn operation_id(path: &str) -> String {
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

/// Who may call, in words.
pub(crate) fn access_name(access: Access) -> &'static str {
    match access {
        Access::Public => "anyone",
        Access::Member => "a member of the account",
        Access::SelfOrAdmin => "the user itself, or an admin for others",
        Access::SelfOnly => "the user itself",
        Access::Admin => "an admin (or the owner)",
    }
}

pub(crate) fn operation(op: &Operation, generators: &mut Generators) -> Value {
    let id = operation_id(op.path);
    let request = value((op.request)(&mut generators.requests));
    let required = !takes_empty(&request, &generators.requests);
    let beyond = op.rules_beyond_schema();
    let mut entry = json!({
        "operationId": id,
        "summary": op.summary,
        "description": description(op, &beyond),
        "tags": [op.path.split('/').next().unwrap_or("")],
        "x-roster-access": access_name(op.access),
        "x-roster-function": op.function.name(),
        "security": if op.access.is_public() { json!([]) } else { json!([{"bearer": []}]) },
        "requestBody": {
            "description": if required { "A JSON object." } else { "A JSON object; an empty body means `{}`." },
            "required": required,
            "content": {"application/json": {
                "schema": request,
                "example": examples::request(op.path),
            }},
        },
        "responses": responses(op, generators),
    });
    if !beyond.is_empty() {
        entry["x-roster-beyond-schema"] = json!(beyond);
        // A flag a fuzzer's configuration can select on: a body that fits
        // may still be refused (400).
        entry["x-roster-schema-complete"] = json!(false);
    }
    if op.query != Query::None {
        entry["parameters"] = paging(op.query);
    }
    entry
}

fn description(op: &Operation, beyond: &[&str]) -> String {
    let mut text = format!("Who may call: {}.", access_name(op.access));
    if !beyond.is_empty() {
        text.push_str("\n\nBeyond what its schema says, it refuses a body when:\n");
        for rule in beyond {
            text.push_str(&format!("\n- {rule}"));
        }
    }
    text
}

/// The paging options of DESIGN §4.
fn paging(query: Query) -> Value {
    let mut params = vec![
        json!({"name": "limit", "in": "query", "required": false,
               "description": "Items per page, 1 to 100 (25 unless given).",
               "schema": {"type": "integer", "minimum": 1, "maximum": 100}}),
        json!({"name": "next", "in": "query", "required": false,
               "description": "The page after the one whose `next` this is (not with `prev`).",
               "schema": {"type": "string"}}),
        json!({"name": "prev", "in": "query", "required": false,
               "description": "The page before the one whose `prev` this is (not with `next`).",
               "schema": {"type": "string"}}),
    ];
    if query == Query::Page {
        params.push(json!({"name": "index", "in": "query", "required": false,
            "description": "`primary`: by creation (unless given); `gs1`: by e-mail.",
            "schema": {"type": "string", "enum": ["primary", "gs1"]}}));
    }
    Value::Array(params)
}

/// Its successes and, per status, the codes it can answer.
fn responses(op: &Operation, generators: &mut Generators) -> Value {
    let mut out = Map::new();
    for answer in op.answers {
        let schema = value((answer.schema)(&mut generators.answers));
        let what = match answer.status {
            202 => "Taken: what follows happens by mail.",
            _ => "Done.",
        };
        out.insert(
            answer.status.to_string(),
            json!({
                "description": what,
                "content": {"application/json": {
                    "schema": schema,
                    "example": examples::answer(op.path, answer.status),
                }}
            }),
        );
    }
    let mut by_status: BTreeMap<u16, Vec<Code>> = BTreeMap::new();
    for code in op.all_errors() {
        by_status
            .entry(code.status().as_u16())
            .or_default()
            .push(code);
    }
    for (status, codes) in by_status {
        let names: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        out.insert(
            status.to_string(),
            error_answer("Error", "code", &names, meanings(&codes)),
        );
    }
    Value::Object(out)
}
