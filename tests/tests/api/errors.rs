//! The error model: bad bodies, limits, unknown routes.

use roster_tests::app::TestApp;
use serde_json::json;

#[tokio::test]
async fn a_body_that_is_not_json_is_a_bad_request() {
    let app = TestApp::new().await;
    let r = app
        .raw(
            "user/find",
            "",
            Some(&app.owner.token),
            b"{not json".to_vec(),
        )
        .await;
    r.err(400, "BAD_REQUEST");
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_a_bad_request() {
    let app = TestApp::new().await;
    let r = app.as_owner("user/find", json!([1, 2])).await;
    r.err(400, "BAD_REQUEST");
}

#[tokio::test]
async fn a_wrong_type_is_a_bad_request() {
    let app = TestApp::new().await;
    app.as_owner("user/find", json!({"role": 5}))
        .await
        .err(400, "BAD_REQUEST");
    app.as_owner("user/logout", json!({"all": "yes"}))
        .await
        .err(400, "BAD_REQUEST");
}

#[tokio::test]
async fn an_unknown_field_is_a_bad_request() {
    let app = TestApp::new().await;
    let r = app
        .as_owner("user/get", json!({"id": app.owner.id, "admin": true}))
        .await;
    r.err(400, "BAD_REQUEST");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("admin"));
    app.as_owner("user/info", json!({"x": 1}))
        .await
        .err(400, "BAD_REQUEST");
}

#[tokio::test]
async fn an_empty_body_means_an_empty_object() {
    let app = TestApp::new().await;
    let r = app
        .raw("user/info", "", Some(&app.owner.token), Vec::new())
        .await;
    assert_eq!(r.ok()["email"], "owner@example.com");
}

#[tokio::test]
async fn a_body_over_64_kib_is_too_large() {
    let app = TestApp::new().await;
    let big = json!({"id": app.owner.id, "first": "x".repeat(65 * 1024)});
    let r = app.as_owner("user/update", big).await;
    r.err(413, "TOO_LARGE");
    // Just under the limit reaches validation instead.
    let under = json!({"first": "x".repeat(60 * 1024)});
    let r = app.as_owner("user/update", under).await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "first");
}

#[tokio::test]
async fn an_unknown_operation_is_not_found() {
    let app = TestApp::new().await;
    app.as_owner("user/frobnicate", json!({}))
        .await
        .err(404, "NOT_FOUND");
}

#[tokio::test]
async fn unknown_query_parameters_are_a_bad_request() {
    let app = TestApp::new().await;
    let r = app
        .raw("user/info", "limit=5", Some(&app.owner.token), Vec::new())
        .await;
    r.err(400, "BAD_REQUEST");
    let r = app
        .raw(
            "user/find",
            "sort=email",
            Some(&app.owner.token),
            Vec::new(),
        )
        .await;
    r.err(400, "BAD_REQUEST");
}

#[tokio::test]
async fn errors_carry_code_message_and_field() {
    let app = TestApp::new().await;
    let r = app
        .as_owner("user/invite", json!({"email": "nope", "role": "user"}))
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "email");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("email"));
}
