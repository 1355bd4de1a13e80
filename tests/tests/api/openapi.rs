//! `GET /openapi.json` against the operation tables: every operation and
//! compatibility route, nothing else; who may call each; request schemas as
//! strict as the handlers; examples that fit their schemas; each error code
//! an operation answers, listed. (Every answer the rest of the suite gets is
//! held to the document by `roster_tests::contract`.)

use roster_api::compat::{Auth, ROUTES};
use roster_api::{Access, OPERATIONS};
use roster_tests::app::TestApp;
use roster_tests::contract::{self, Exchange};
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

fn native<'a>(doc: &'a Value, path: &str) -> &'a Value {
    &doc["paths"][format!("/{path}")]["post"]
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
        .chain(
            roster_api::scim::ROUTES
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
        let o = native(&doc, op.path);
        assert!(
            !o["summary"].as_str().unwrap_or("").is_empty(),
            "{}",
            op.path
        );
        let secured = o["security"] == json!([{"bearer": []}]);
        assert_eq!(secured, op.access != Access::Public, "{}", op.path);
        assert_eq!(
            o["responses"]["401"].is_object(),
            op.all_errors()
                .contains(&roster_api::error::Code::Unauthenticated),
            "{}",
            op.path
        );
        assert!(o["responses"]["400"].is_object(), "{}", op.path);
        assert!(o["responses"]["500"].is_object(), "{}", op.path);
    }
    for r in ROUTES {
        let o = &doc["paths"][r.path][r.method.as_str().to_lowercase()];
        let scheme = match r.auth {
            Auth::Public => json!([]),
            Auth::Bearer => json!([{"bearer": []}]),
            Auth::QueryToken => json!([{"queryToken": []}]),
        };
        assert_eq!(o["security"], scheme, "{}", r.path);
        assert!(
            !o["summary"].as_str().unwrap_or("").is_empty(),
            "{}",
            r.path
        );
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
        OPERATIONS.len() + ROUTES.len() + roster_api::scim::ROUTES.len(),
        "operationIds repeat"
    );
}

/// Every object a native body may be: the body's schema, or each of its
/// forms (`user/login`).
fn forms<'a>(doc: &'a Value, schema: &'a Value) -> Vec<&'a Value> {
    let schema = resolve(doc, schema);
    match schema["anyOf"].as_array() {
        Some(any) => any.iter().map(|s| resolve(doc, s)).collect(),
        None => vec![schema],
    }
}

#[tokio::test]
async fn request_schemas_come_from_the_handlers_types_and_are_as_strict() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    for op in OPERATIONS {
        let body = &native(&doc, op.path)["requestBody"]["content"]["application/json"]["schema"];
        for form in forms(&doc, body) {
            assert_eq!(form["type"], "object", "{}: {form}", op.path);
            assert_eq!(form["additionalProperties"], false, "{}: {form}", op.path);
        }
        // The handler refuses what the schema refuses.
        let token = (op.access != Access::Public).then_some(app.owner.token.as_str());
        app.call(op.path, token, json!({"notAFieldOfAnyOperation": 1}))
            .await
            .err(400, "BAD_REQUEST");
        // A body must be an object, as its schema says.
        app.raw(op.path, "", token, b"[]".to_vec())
            .await
            .err(400, "BAD_REQUEST");
    }
    // The fields are the handler's, as the client sends them.
    let find = &native(&doc, "user/find")["requestBody"]["content"]["application/json"]["schema"];
    let props = resolve(&doc, find)["properties"].as_object().unwrap();
    let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["details", "email", "id", "query", "role", "state"]);
    let refresh =
        &native(&doc, "user/refresh")["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(resolve(&doc, refresh)["required"], json!(["refreshToken"]));
}

#[tokio::test]
async fn a_body_that_must_name_something_is_required() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let required = |path: &str| native(&doc, path)["requestBody"]["required"].clone();
    assert_eq!(required("user/invite"), true);
    assert_eq!(required("user/get"), true, "id or email");
    assert_eq!(required("user/info"), false);
    assert_eq!(required("user/find"), false);
    assert_eq!(required("user/login"), false, "{{}} with a hosted-UI token");
}

#[tokio::test]
async fn every_example_fits_its_schema() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, o) in item.as_object().unwrap() {
            let label = format!("{method} {path}");
            let request = o["requestBody"]["content"]
                .as_object()
                .and_then(|c| c.values().next())
                .and_then(Value::as_object);
            if let Some(content) = request {
                let example = &content["example"];
                assert!(!example.is_null(), "{label}: no request example");
                let key = format!("{label} example request");
                let why = contract::misfit_request(&key, &content["schema"], example);
                assert!(why.is_none(), "{label}: the request example: {why:?}");
                seen += 1;
            }
            for (status, response) in o["responses"].as_object().unwrap() {
                if !status.starts_with('2') {
                    continue;
                }
                let Some(content) = response["content"].as_object() else {
                    continue;
                };
                for (media, c) in content {
                    let example = &c["example"];
                    assert!(!example.is_null(), "{label} {status}: no example");
                    if media == "application/json" || media == "application/scim+json" {
                        let key = format!("{label} {status} example");
                        let why = contract::misfit(&key, &c["schema"], example);
                        assert!(why.is_none(), "{label} {status}: the example: {why:?}");
                    }
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > OPERATIONS.len() + ROUTES.len(), "{seen} examples");
}

#[tokio::test]
async fn each_error_answer_names_the_codes_it_can_carry() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let codes = |path: &str, status: &str| {
        native(&doc, path)["responses"][status]["content"]["application/json"]["schema"]
            ["properties"]["error"]["properties"]["code"]["enum"]
            .clone()
    };
    assert_eq!(
        codes("user/invite", "409"),
        json!(["CONFLICT", "LIMIT_REACHED"])
    );
    assert_eq!(
        codes("user/signupInfo", "400"),
        json!(["BAD_REQUEST", "TOKEN_INVALID", "TOKEN_EXPIRED"])
    );
    let refused = &doc["paths"]["/usergroup/insert"]["post"]["responses"]["499"]["content"]
        ["application/json"]["schema"]["properties"]["errorCode"]["enum"];
    assert!(
        refused.as_array().unwrap().contains(&json!("LIMIT")),
        "{refused}"
    );
    // A code the operation doesn't list fails the suite's check.
    let exchange = Exchange {
        method: "POST",
        path: "/user/info",
        query: "",
        body: b"{}",
        status: 409,
        content_type: Some("application/json"),
        answer: br#"{"error":{"code":"CONFLICT","message":"x"}}"#,
    };
    let caught = std::panic::catch_unwind(|| contract::check(&exchange));
    assert!(caught.is_err(), "an undocumented status passed");
    let exchange = Exchange {
        status: 404,
        answer: br#"{"error":{"code":"CONFLICT","message":"x"}}"#,
        path: "/user/get",
        body: br#"{"id": "01JD8X6S2M3W5T0K4E9Q7R1B2C"}"#,
        ..exchange
    };
    let caught = std::panic::catch_unwind(|| contract::check(&exchange));
    assert!(caught.is_err(), "a code its status doesn't carry passed");
}

#[tokio::test]
async fn the_suite_check_catches_an_answer_that_breaks_its_schema() {
    let user = |extra: Value| {
        let mut u = json!({
            "id": "01JD8X6S2M3W5T0K4E9Q7R1B2C", "accountId": "01JD8X5Q9W7C3N2M4K8T6R1P0A",
            "email": "grace@example.com", "first": "Grace", "last": "Hopper", "role": "user",
            "state": "active", "mfa": false, "preferences": {}, "activity": null,
            "created": "2026-11-23T09:30:00.000Z", "updated": "2026-11-23T09:30:00.000Z",
        });
        if let (Some(u), Value::Object(extra)) = (u.as_object_mut(), extra) {
            u.extend(extra);
        }
        u.to_string()
    };
    let check = |answer: String| {
        let exchange = Exchange {
            method: "POST",
            path: "/user/get",
            query: "",
            body: br#"{"email": "grace@example.com"}"#,
            status: 200,
            content_type: Some("application/json"),
            answer: answer.as_bytes(),
        };
        std::panic::catch_unwind(|| contract::check(&exchange)).is_ok()
    };
    assert!(check(user(json!({}))), "a good answer was refused");
    assert!(
        !check(user(json!({"passwordHash": "x"}))),
        "an extra field passed"
    );
    assert!(
        !check(user(json!({"role": "root"}))),
        "a role that isn't passed"
    );
    assert!(
        !check(user(json!({"created": "yesterday"}))),
        "a time that isn't passed"
    );
}

#[tokio::test]
async fn the_suite_check_catches_a_schema_looser_than_its_handler() {
    // `user/info` takes `{}`; a body the handler refuses must not fit.
    let exchange = Exchange {
        method: "POST",
        path: "/user/info",
        query: "",
        body: b"{}",
        status: 400,
        content_type: Some("application/json"),
        answer: br#"{"error":{"code":"BAD_REQUEST","message":"x"}}"#,
    };
    let caught = std::panic::catch_unwind(|| contract::check(&exchange));
    assert!(caught.is_err(), "a refused body that fits passed");
    // And an accepted one must fit.
    let exchange = Exchange {
        body: br#"{"extra": 1}"#,
        status: 200,
        answer: b"{}",
        ..exchange
    };
    let caught = std::panic::catch_unwind(|| contract::check(&exchange));
    assert!(
        caught.is_err(),
        "an accepted body that breaks its schema passed"
    );
}

#[tokio::test]
async fn pages_take_their_paging_options_and_other_operations_none() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let names = |path: &str| -> Vec<String> {
        native(&doc, path)["parameters"]
            .as_array()
            .map(|p| {
                p.iter()
                    .map(|p| p["name"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(names("user/find"), ["limit", "next", "prev", "index"]);
    assert_eq!(names("group/find"), ["limit", "next", "prev"]);
    assert!(names("user/info").is_empty());
    let token = Some(app.owner.token.as_str());
    app.raw("user/info", "limit=5", token, b"{}".to_vec())
        .await
        .err(400, "BAD_REQUEST");
    app.raw("group/find", "index=gs1", token, b"{}".to_vec())
        .await
        .err(400, "BAD_REQUEST");
    app.raw("user/find", "index=gs1&limit=5", token, b"{}".to_vec())
        .await
        .ok();
}
