//! INTERNAL and UNAVAILABLE: what a client sees when the store or the mailer fails.

use std::sync::Arc;

use roster_core::ports::TableError;
use roster_tests::app::TestApp;
use roster_tests::faults::{faulty_app, DownMailer};
use serde_json::json;

#[tokio::test]
async fn an_internal_error_hides_its_detail_and_names_the_request() {
    let (app, table) = faulty_app().await;
    table.fail_next_write(TableError::Internal(
        "disk full at /var/secret/roster.redb".into(),
    ));
    let r = app
        .as_owner(
            "user/invite",
            json!({"email": "ann@example.com", "role": "user"}),
        )
        .await;
    r.err(500, "INTERNAL");
    let text = r.body.to_string();
    assert!(!text.contains("disk") && !text.contains("secret"), "{text}");
    assert!(r.request_id.as_deref().is_some_and(|id| id.len() >= 20));
    // Nothing was half-written: the invite can be made now.
    app.invite("ann@example.com", "user").await;
}

#[tokio::test]
async fn a_transaction_conflict_is_unavailable() {
    let (app, table) = faulty_app().await;
    table.fail_next_write(TableError::Conflict);
    app.as_owner(
        "user/invite",
        json!({"email": "ann@example.com", "role": "user"}),
    )
    .await
    .err(503, "UNAVAILABLE");
}

#[tokio::test]
async fn an_unreachable_store_is_unavailable() {
    let (app, table) = faulty_app().await;
    table.fail_reads(Some(|| {
        TableError::Unavailable("connect timeout 10.0.0.7".into())
    }));
    let r = app.as_owner("user/info", json!({})).await;
    r.err(503, "UNAVAILABLE");
    assert!(!r.body.to_string().contains("10.0.0.7"));
    table.fail_reads(None);
    app.as_owner("user/info", json!({})).await.ok();
}

#[tokio::test]
async fn a_store_that_is_throttled_or_unreachable_on_write_is_unavailable() {
    let (app, table) = faulty_app().await;
    table.fail_next_write(TableError::Unavailable(
        "DynamoDB TransactWriteItems: ProvisionedThroughputExceededException".into(),
    ));
    let r = app.as_owner("user/update", json!({"first": "Ann"})).await;
    r.err(503, "UNAVAILABLE");
    assert!(!r.body.to_string().contains("Provisioned"));
    // Nothing was written; the retry goes through.
    app.as_owner("user/update", json!({"first": "Ann"}))
        .await
        .ok();
}

#[tokio::test]
async fn a_mailer_outage_keeps_the_invite_and_says_so() {
    let mut app = TestApp::new().await;
    let mut roster = app.roster.clone();
    roster.mailer = Arc::new(DownMailer);
    app.use_roster(roster);
    let r = app
        .as_owner(
            "user/invite",
            json!({"email": "ann@example.com", "role": "user"}),
        )
        .await;
    r.err(503, "UNAVAILABLE");
    assert!(!r.body.to_string().contains("smtp"));
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("resendInvite"));
    // The invite exists; an admin resends it once mail is back.
    let v = app
        .as_owner("user/get", json!({"email": "ann@example.com"}))
        .await
        .ok();
    assert_eq!(v["state"], "pending");
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = TestApp::new().await;
    let r = app.as_owner("user/info", json!({})).await;
    assert!(r.request_id.is_some());
}
