//! `GET /openapi.json` against the operation tables: every operation and
//! compatibility route, nothing else, who may call each, and request
//! schemas as strict as the handlers (an unknown field is `BAD_REQUEST`).

use roster_api::compat::{Auth, ROUTES};
use roster_api::{Access, OPERATIONS};
use roster_tests::app::TestApp;
use serde_json::{json, Value};

async fn document(app: &TestApp) -> Value {
    let answer = app.send("GET", "/openapi.json", None, None).await;
    assert_eq!(answer.content_type.as_deref(), Some("application/json"));
    answer.json()
}

/// A schema with its `$ref` followed into `components/schemas`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

#[tokio::test]
async fn the_document_names_every_operation_and_route_and_nothing_else() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let mut expected: Vec<String> = OPERATIONS
        .iter()
        .map(|op| format!("post /{}", op.path))
        .chain(
            ROUTES
                .iter()
                .map(|r| format!("{} {}", r.method.as_str().to_lowercase(), r.path)),
        )
        .collect();
    let mut named: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{method} {path}"))
        })
        .collect();
    expected.sort();
    named.sort();
    assert_eq!(named, expected);
    for op in OPERATIONS {
        let o = &doc["paths"][format!("/{}", op.path)]["post"];
        assert!(
            !o["summary"].as_str().unwrap_or("").is_empty(),
            "{}",
            op.path
        );
        let secured = o["security"] == json!([{"bearer": []}]);
        assert_eq!(secured, op.access != Access::Public, "{}", op.path);
        if op.access != Access::Public {
            assert!(o["responses"]["401"].is_object(), "{}", op.path);
        }
        assert!(o["responses"]["400"].is_object(), "{}", op.path);
    }
    for r in ROUTES {
        let o = &doc["paths"][r.path][r.method.as_str().to_lowercase()];
        let scheme = match r.auth {
            Auth::Public => json!([]),
            Auth::Bearer => json!([{"bearer": []}]),
            Auth::QueryToken => json!([{"queryToken": []}]),
        };
        assert_eq!(o["security"], scheme, "{}", r.path);
    }
    let ids: std::collections::HashSet<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|o| o["operationId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        OPERATIONS.len() + ROUTES.len(),
        "operationIds repeat"
    );
}

#[tokio::test]
async fn request_schemas_come_from_the_handlers_types_and_are_as_strict() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    for op in OPERATIONS {
        let o = &doc["paths"][format!("/{}", op.path)]["post"];
        let schema = resolve(
            &doc,
            &o["requestBody"]["content"]["application/json"]["schema"],
        );
        assert_eq!(schema["type"], "object", "{}: {schema}", op.path);
        assert_eq!(
            schema["additionalProperties"], false,
            "{}: {schema}",
            op.path
        );
        // The handler refuses what the schema refuses.
        let token = (op.access != Access::Public).then_some(app.owner.token.as_str());
        let refused = app
            .call(op.path, token, json!({"notAFieldOfAnyOperation": 1}))
            .await;
        refused.err(400, "BAD_REQUEST");
    }
    // The fields are the handler's, as the client sends them.
    let find =
        &doc["paths"]["/user/find"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    let props = resolve(&doc, find)["properties"].as_object().unwrap();
    let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["details", "email", "id", "query", "role", "state"]);
    let refresh = &doc["paths"]["/user/refresh"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    assert_eq!(resolve(&doc, refresh)["required"], json!(["refreshToken"]));
}
