//! The audit log: every admin write and credential change, newest first,
//! filterable, admins only, never a secret.

use roster_tests::app::TestApp;
use serde_json::{json, Value};

async fn actions(app: &TestApp, filter: Value) -> Vec<String> {
    let v = app.as_owner("account/audit", filter).await.ok();
    v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn admin_writes_are_recorded_newest_first() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    app.as_owner("user/updateRole", json!({"id": ann.id, "role": "viewer"}))
        .await
        .ok();
    app.as_owner("user/update", json!({"id": ann.id, "state": "disabled"}))
        .await
        .ok();
    let g = app
        .as_owner("group/create", json!({"name": "Eng"}))
        .await
        .ok();
    app.as_owner("account/update", json!({"plan": "business"}))
        .await
        .ok();
    app.as_owner("user/remove", json!({"id": ann.id}))
        .await
        .ok();
    assert_eq!(
        actions(&app, json!({})).await,
        [
            "user/remove",
            "account/update",
            "group/create",
            "user/disable",
            "user/updateRole",
            "user/invite"
        ]
    );
    let v = app
        .as_owner("account/audit", json!({"action": "user/updateRole"}))
        .await
        .ok();
    let e = &v["data"][0];
    assert_eq!(e["actor"]["id"], app.owner.id);
    assert_eq!(e["actor"]["email"], "owner@example.com");
    assert_eq!(e["target"]["kind"], "user");
    assert_eq!(e["target"]["id"], ann.id);
    assert_eq!(e["target"]["label"], "ann@example.com");
    assert_eq!(e["detail"], json!({"from": "user", "to": "viewer"}));
    assert!(e["at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        actions(&app, json!({"target": g["id"]})).await,
        ["group/create"]
    );
    assert_eq!(
        actions(&app, json!({"actor": ann.id})).await,
        Vec::<String>::new()
    );
    // Pages, newest first.
    let r = app
        .raw(
            "account/audit",
            "limit=2",
            Some(&app.owner.token),
            b"{}".to_vec(),
        )
        .await
        .ok();
    assert_eq!(r["data"].as_array().unwrap().len(), 2);
    assert!(r["next"].is_string());
}

#[tokio::test]
async fn credential_changes_are_recorded_without_secrets() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    app.as_member(
        &ann,
        "user/changePassword",
        json!({"currentPassword": roster_tests::app::PASSWORD, "password": "a brand new secret"}),
    )
    .await
    .ok();
    let ann = app.logged_in("ann@example.com", "a brand new secret").await;
    app.as_member(&ann, "user/logout", json!({"all": true}))
        .await
        .ok();
    let v = app
        .as_owner("account/audit", json!({"actor": ann.id}))
        .await
        .ok();
    let got: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["user/logoutAll", "user/changePassword"]);
    let all = app
        .as_owner("account/audit", json!({}))
        .await
        .ok()
        .to_string();
    for secret in [
        "a brand new secret",
        roster_tests::app::PASSWORD,
        "token",
        "inviteUrl",
    ] {
        assert!(!all.contains(secret), "{secret} in {all}");
    }
}

#[tokio::test]
async fn only_admins_read_the_log_and_filters_are_checked() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    app.as_member(&ann, "account/audit", json!({}))
        .await
        .err(403, "FORBIDDEN");
    let r = app
        .as_owner("account/audit", json!({"action": "user/fly"}))
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "action");
    let r = app
        .as_owner("account/audit", json!({"actor": "nope"}))
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "actor");
    // Another account's log is not this one's.
    let other = roster_tests::app::other_account(&app).await;
    let v = app.as_member(&other, "account/audit", json!({})).await.ok();
    assert_eq!(v["data"], json!([]));
}
