//! `events/`: one API Gateway HTTP API (v2) payload per operation, named
//! after it. Each parses with `lambda_http` and runs through its function's
//! router; no other function's router serves it.

use axum::body::Body;
use http_body_util::BodyExt;
use roster_api::compat::{Auth, Route, ROUTES};
use roster_api::pages::PAGES;
use roster_api::{router_for, Function, OPERATIONS};
use roster_tests::app::TestApp;
use tower::ServiceExt;

/// `user/updateRole` → `events/user-update-role.json`.
fn event_file(path: &str) -> std::path::PathBuf {
    let mut name = String::new();
    for c in path.chars() {
        match c {
            '/' => name.push('-'),
            c if c.is_ascii_uppercase() => {
                name.push('-');
                name.push(c.to_ascii_lowercase());
            }
            c => name.push(c),
        }
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../events")
        .join(format!("{name}.json"))
}

#[test]
fn every_operation_has_an_event_file() {
    let missing: Vec<_> = OPERATIONS
        .iter()
        .map(|op| event_file(op.path))
        .filter(|f| !f.exists())
        .collect();
    assert!(missing.is_empty(), "no event for: {missing:?}");
    let files = std::fs::read_dir(event_file("x").parent().unwrap())
        .unwrap()
        .count();
    assert_eq!(
        files,
        OPERATIONS.len() + ROUTES.len() + PAGES.len() + 2 + roster_api::scim::ROUTES.len(),
        "events/ holds files for no operation"
    );
    let missing: Vec<_> = ROUTES
        .iter()
        .map(compat_event_file)
        .filter(|f| !f.exists())
        .collect();
    assert!(missing.is_empty(), "no event for: {missing:?}");
}

/// `GET /api/v1/user/userinfo` → `events/compat-get-api-v1-user-userinfo.json`.
fn compat_event_file(route: &Route) -> std::path::PathBuf {
    let parts: Vec<&str> = route
        .path
        .split(['/', '_'])
        .filter(|p| !p.is_empty())
        .collect();
    let name = format!(
        "compat-{}-{}.json",
        route.method.as_str().to_lowercase(),
        parts.join("-")
    );
    event_file("x").with_file_name(name)
}

/// Runs an event file's request through `function`'s router as the owner
/// (its bearer header, or its `?token=` when `query_token`): status and body.
async fn run_event(
    app: &TestApp,
    text: &str,
    function: Function,
    query_token: Option<&str>,
) -> (axum::http::StatusCode, String) {
    let req = lambda_http::request::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let (mut parts, body) = req.into_parts();
    if parts.headers.contains_key("authorization") {
        let bearer = format!("Bearer {}", app.owner.token);
        parts
            .headers
            .insert("authorization", bearer.parse().unwrap());
    }
    if let Some(path) = query_token {
        let uri = format!("{path}?token={}", app.owner.token);
        parts.uri = uri.parse().unwrap();
    }
    let req = axum::http::Request::from_parts(parts, Body::from(body.to_vec()));
    let router = router_for(function, app.roster.clone());
    let res = router.oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn every_compatibility_event_runs_through_its_functions_router_only() {
    let app = TestApp::new().await;
    for route in ROUTES {
        let text = std::fs::read_to_string(compat_event_file(route)).unwrap();
        let query_token = (route.auth == Auth::QueryToken).then_some(route.path);
        for function in [
            Function::Public,
            Function::Read,
            Function::Write,
            Function::Scim,
        ] {
            let (status, text) = run_event(&app, &text, function, query_token).await;
            let unrouted = text.contains("no such operation");
            if function == route.function {
                assert!(!unrouted, "{}: {status} {text}", route.path);
                assert!(status.as_u16() < 500, "{}: {status} {text}", route.path);
            } else {
                assert!(unrouted, "{} is served by {:?} too", route.path, function);
            }
        }
    }
}

#[tokio::test]
async fn every_event_runs_through_its_functions_router_only() {
    let app = TestApp::new().await;
    for op in OPERATIONS {
        let text = std::fs::read_to_string(event_file(op.path)).unwrap();
        for function in [
            Function::Public,
            Function::Read,
            Function::Write,
            Function::Scim,
        ] {
            let (status, text) = run_event(&app, &text, function, None).await;
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let unrouted = v["error"]["message"] == "no such operation";
            if function == op.function {
                assert!(!unrouted, "{}: {status} {v}", op.path);
                assert!(status.as_u16() < 500, "{}: {status} {v}", op.path);
            } else {
                assert!(unrouted, "{} is served by {:?} too", op.path, function);
            }
        }
    }
}

/// `/login` → `events/page-login.json` (`/` → `page-index.json`), and the
/// assets' route → `page-assets.json`.
fn page_event_file(path: &str) -> std::path::PathBuf {
    let name = match path.trim_start_matches('/') {
        "" => "index",
        p if p.starts_with("assets/") => "assets",
        "openapi.json" => "openapi",
        p => p,
    };
    event_file("x").with_file_name(format!("page-{name}.json"))
}

#[tokio::test]
async fn every_page_event_runs_through_the_public_functions_router_only() {
    let app = TestApp::new().await;
    let paths = PAGES
        .iter()
        .map(|p| p.path)
        .chain([roster_api::pages::ASSETS_ROUTE, roster_api::openapi::ROUTE]);
    for path in paths {
        let text = std::fs::read_to_string(page_event_file(path)).unwrap();
        for function in [
            Function::Public,
            Function::Read,
            Function::Write,
            Function::Scim,
        ] {
            let (status, body) = run_event(&app, &text, function, None).await;
            if function == Function::Public {
                assert_eq!(status, 200, "{path}: {body}");
                assert!(!body.contains("no such operation"), "{path}");
            } else {
                assert!(
                    body.contains("no such operation"),
                    "{path} is served by {function:?} too"
                );
            }
        }
    }
}

/// `GET /scim/v2/Users/{id}` → `events/scim-get-users-id.json`.
fn scim_event_file(route: &roster_api::scim::Route) -> std::path::PathBuf {
    let mut words = Vec::new();
    for part in route.path.split('/').filter(|p| !p.is_empty()) {
        let part = match part {
            "scim" | "v2" => continue,
            "{id}" => "id".to_string(),
            ".search" => "search".to_string(),
            p => {
                let mut w = String::new();
                for (i, c) in p.chars().enumerate() {
                    if c.is_ascii_uppercase() && i > 0 {
                        w.push('-');
                    }
                    w.push(c.to_ascii_lowercase());
                }
                w
            }
        };
        words.push(part);
    }
    let method = route.method.as_str().to_lowercase();
    let name = if words.is_empty() {
        format!("scim-{method}.json")
    } else {
        format!("scim-{method}-{}.json", words.join("-"))
    };
    event_file("x").with_file_name(name)
}

#[tokio::test]
async fn every_scim_event_runs_through_the_scim_functions_router_only() {
    let app = TestApp::new().await;
    let secret = app.scim_token().await;
    for route in roster_api::scim::ROUTES {
        let file = scim_event_file(route);
        let text = std::fs::read_to_string(&file).unwrap_or_else(|_| panic!("no {file:?}"));
        for function in [
            Function::Public,
            Function::Read,
            Function::Write,
            Function::Scim,
        ] {
            let req = lambda_http::request::from_str(&text).unwrap();
            let (mut parts, body) = req.into_parts();
            let bearer = format!("Bearer {secret}");
            parts
                .headers
                .insert("authorization", bearer.parse().unwrap());
            let req = axum::http::Request::from_parts(parts, Body::from(body.to_vec()));
            let res = router_for(function, app.roster.clone())
                .oneshot(req)
                .await
                .unwrap();
            let status = res.status();
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            let text = String::from_utf8_lossy(&bytes);
            let unrouted = text.contains("no such operation");
            if function == roster_api::scim::FUNCTION {
                assert!(!unrouted, "{}: {status} {text}", route.path);
                assert!(status.as_u16() < 500, "{}: {status} {text}", route.path);
                assert_ne!(status.as_u16(), 401, "{}: {text}", route.path);
            } else {
                assert!(unrouted, "{} is served by {function:?} too", route.path);
            }
        }
    }
}
