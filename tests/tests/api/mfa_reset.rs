//! An admin's MFA reset: who may, and what it does (MFA off, signed out
//! everywhere, free to enrol again).

use roster_tests::app::{TestApp, PASSWORD};
use serde_json::json;

const ANN: &str = "ann@example.com";

#[tokio::test]
async fn an_admin_resets_another_users_mfa_and_signs_it_out() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let bob = app.member("bob@example.com", "admin").await;
    app.enrol(&ann).await;
    // Who may: admins, on another user of the account, never the owner.
    app.as_member(&ann, "user/resetMfa", json!({"id": bob.id}))
        .await
        .err(403, "FORBIDDEN");
    app.as_member(&bob, "user/resetMfa", json!({"id": app.owner.id}))
        .await
        .err(403, "FORBIDDEN");
    app.as_member(&bob, "user/resetMfa", json!({"id": bob.id}))
        .await
        .err(403, "FORBIDDEN");
    app.as_member(
        &bob,
        "user/resetMfa",
        json!({"id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}),
    )
    .await
    .err(404, "NOT_FOUND");
    let v = app
        .as_member(&bob, "user/resetMfa", json!({"id": ann.id}))
        .await
        .ok();
    assert_eq!(
        (v["id"].as_str(), v["mfa"].clone()),
        (Some(ann.id.as_str()), json!(false))
    );
    app.as_member(&ann, "user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    // The password alone logs in, and a new device can be enrolled.
    let ann = app.logged_in(ANN, PASSWORD).await;
    app.enrol(&ann).await;
}

#[tokio::test]
async fn another_accounts_admin_cannot_reset_mfa() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    // Another account's id reads as one that doesn't exist.
    let stranger = roster_tests::app::other_account(&app).await;
    app.as_member(&stranger, "user/resetMfa", json!({"id": ann.id}))
        .await
        .err(404, "NOT_FOUND");
}
