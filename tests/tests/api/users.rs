//! user/get, user/update, user/info: self, admins, and other accounts.

use roster_tests::app::{other_account, TestApp};
use serde_json::json;

#[tokio::test]
async fn the_user_object_has_the_documented_fields_and_no_secrets() {
    let app = TestApp::new().await;
    let v = app.invite("ann@example.com", "user").await;
    let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "accountId",
            "activity",
            "created",
            "email",
            "first",
            "id",
            "inviteUrl",
            "last",
            "mfa",
            "preferences",
            "role",
            "state",
            "updated"
        ]
    );
    let got = app.as_owner("user/get", json!({"id": v["id"]})).await.ok();
    assert!(got.get("inviteUrl").is_none());
    let text = got.to_string();
    for secret in [
        "inviteHash",
        "hash",
        "version",
        "revoked",
        "sessionsValidAfter",
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
}

#[tokio::test]
async fn another_accounts_ids_look_like_ids_that_dont_exist() {
    let app = TestApp::new().await;
    let boss = other_account(&app).await;
    let missing = ulid_like();
    for body in [json!({"id": boss.id}), json!({"id": missing})] {
        let r = app.as_owner("user/get", body).await;
        r.err(404, "NOT_FOUND");
        assert_eq!(
            r.body,
            app.as_owner("user/get", json!({"id": missing})).await.body
        );
    }
    for path in ["user/remove", "user/resendInvite"] {
        let theirs = app.as_owner(path, json!({"id": boss.id})).await;
        let nobody = app.as_owner(path, json!({"id": missing})).await;
        theirs.err(404, "NOT_FOUND");
        assert_eq!(theirs.body, nobody.body, "{path}");
    }
    let theirs = app
        .as_owner("user/updateRole", json!({"id": boss.id, "role": "user"}))
        .await;
    let nobody = app
        .as_owner("user/updateRole", json!({"id": missing, "role": "user"}))
        .await;
    theirs.err(404, "NOT_FOUND");
    assert_eq!(theirs.body, nobody.body);
    let theirs = app
        .as_owner("user/update", json!({"id": boss.id, "first": "X"}))
        .await;
    let nobody = app
        .as_owner("user/update", json!({"id": missing, "first": "X"}))
        .await;
    theirs.err(404, "NOT_FOUND");
    assert_eq!(theirs.body, nobody.body);
}

#[tokio::test]
async fn another_accounts_emails_look_like_emails_that_dont_exist() {
    let app = TestApp::new().await;
    other_account(&app).await;
    let theirs = app
        .as_owner("user/get", json!({"email": "boss@other.com"}))
        .await;
    let nobody = app
        .as_owner("user/get", json!({"email": "nobody@other.com"}))
        .await;
    theirs.err(404, "NOT_FOUND");
    assert_eq!(theirs.body, nobody.body);
    // find shows only this account's users.
    let found = app
        .as_owner("user/find", json!({"email": "boss@other.com"}))
        .await
        .ok();
    assert!(found["data"].as_array().unwrap().is_empty());
}

fn ulid_like() -> String {
    roster_core::domain::UserId::new().to_string()
}

#[tokio::test]
async fn a_user_gets_itself_and_only_itself() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    let v = app
        .as_member(&ann, "user/get", json!({"id": ann.id}))
        .await
        .ok();
    assert_eq!(v["email"], "ann@example.com");
    app.as_member(&ann, "user/get", json!({"email": "ann@example.com"}))
        .await
        .ok();
    app.as_member(&ann, "user/get", json!({"id": app.owner.id}))
        .await
        .err(403, "FORBIDDEN");
    // An admin gets anyone in its account, pending users by e-mail too.
    app.invite("bob@example.com", "viewer").await;
    let v = app
        .as_owner("user/get", json!({"email": "Bob@Example.com"}))
        .await
        .ok();
    assert_eq!(v["state"], "pending");
}

#[tokio::test]
async fn a_user_updates_its_own_profile() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "viewer").await;
    let v = app
        .as_member(
            &ann,
            "user/update",
            json!({"first": " Ann ", "last": "Lee", "preferences": {"theme": "dark"}}),
        )
        .await
        .ok();
    assert_eq!(v["first"], "Ann");
    assert_eq!(v["last"], "Lee");
    assert_eq!(v["preferences"]["theme"], "dark");
    let again = app
        .as_member(&ann, "user/get", json!({"id": ann.id}))
        .await
        .ok();
    assert_eq!(again["preferences"], json!({"theme": "dark"}));
}

#[tokio::test]
async fn preferences_are_an_object_of_at_most_8_kib() {
    let app = TestApp::new().await;
    for bad in [json!([1]), json!("x"), json!({"big": "x".repeat(8 * 1024)})] {
        let r = app
            .as_owner("user/update", json!({"preferences": bad}))
            .await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "preferences");
    }
}

/// `[[… 1 …]]` with `levels` lists.
fn deep_list(levels: usize) -> serde_json::Value {
    (1..levels).fold(json!([1]), |inner, _| json!([inner]))
}

/// `{"a": {"a": … 1 …}}` with `levels` objects, the outer one included.
fn nested(levels: usize) -> serde_json::Value {
    (1..levels).fold(json!({"a": 1}), |inner, _| json!({ "a": inner }))
}

#[tokio::test]
async fn preferences_hold_only_what_the_store_can_keep_on_both_backends() {
    let app = TestApp::new().await;
    // DynamoDB's numbers: 38 digits within 1e-130 ..= 9.99…e125; 32 levels.
    for bad in [
        json!({"n": 1e200}),
        json!({"n": -1e126}),
        json!({"n": 1e-200}),
        json!({"list": [1, {"n": 1e130}]}),
        nested(33),
        json!({ "list": deep_list(32) }),
    ] {
        let r = app
            .as_owner("user/update", json!({"preferences": bad}))
            .await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "preferences");
    }
    for good in [json!({"n": 9.9e125, "z": 0, "f": 0.5}), nested(32)] {
        let v = app
            .as_owner("user/update", json!({"preferences": good.clone()}))
            .await
            .ok();
        assert_eq!(v["preferences"], good);
        let v = app.as_owner("user/info", json!({})).await.ok();
        assert_eq!(v["preferences"], good);
    }
    // Tiny magnitudes down to DynamoDB's 1e-130 are kept.
    app.as_owner("user/update", json!({"preferences": {"m": -1.5e-130}}))
        .await
        .ok();
}

#[tokio::test]
async fn an_admin_cannot_change_an_active_users_email() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    app.as_owner(
        "user/update",
        json!({"id": ann.id, "email": "new@example.com"}),
    )
    .await
    .err(403, "FORBIDDEN");
    // Nor can the user itself.
    app.as_member(&ann, "user/update", json!({"email": "new@example.com"}))
        .await
        .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn a_pending_users_email_can_be_corrected_and_the_old_link_dies() {
    let app = TestApp::new().await;
    let v = app.invite("ann@exmaple.com", "user").await;
    let old = roster_tests::app::token_of(v["inviteUrl"].as_str().unwrap());
    app.invite("taken@example.com", "user").await;
    app.as_owner(
        "user/update",
        json!({"id": v["id"], "email": "taken@example.com"}),
    )
    .await
    .err(409, "CONFLICT");
    let u = app
        .as_owner(
            "user/update",
            json!({"id": v["id"], "email": "ann@example.com"}),
        )
        .await
        .ok();
    assert_eq!(u["email"], "ann@example.com");
    app.call("user/signupInfo", None, json!({"token": old}))
        .await
        .err(400, "TOKEN_INVALID");
    // The old address is free, the new one is found.
    app.invite("ann@exmaple.com", "user").await;
    app.as_owner("user/get", json!({"email": "ann@example.com"}))
        .await
        .ok();
    let r = app
        .as_owner("user/resendInvite", json!({"id": v["id"]}))
        .await
        .ok();
    let token = roster_tests::app::token_of(r["inviteUrl"].as_str().unwrap());
    let info = app
        .call("user/signupInfo", None, json!({"token": token}))
        .await
        .ok();
    assert_eq!(info["email"], "ann@example.com");
}

#[tokio::test]
async fn nobody_disables_themselves_or_the_owner() {
    let app = TestApp::new().await;
    let adm = app.member("adm@example.com", "admin").await;
    app.as_member(
        &adm,
        "user/update",
        json!({"id": adm.id, "state": "disabled"}),
    )
    .await
    .err(403, "FORBIDDEN");
    app.as_member(
        &adm,
        "user/update",
        json!({"id": app.owner.id, "state": "disabled"}),
    )
    .await
    .err(403, "FORBIDDEN");
    let v = app.invite("p@example.com", "user").await;
    let r = app
        .as_owner("user/update", json!({"id": v["id"], "state": "disabled"}))
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "state");
}

#[tokio::test]
async fn info_adds_account_name_owner_and_plan() {
    let app = TestApp::new().await;
    let v = app.as_owner("user/info", json!({})).await.ok();
    assert_eq!(v["accountName"], "Acme");
    assert_eq!(v["owner"], true);
    assert_eq!(v["plan"], "team");
    assert!(v["activity"].is_string());
    let ann = app.member("ann@example.com", "user").await;
    let v = app.as_member(&ann, "user/info", json!({})).await.ok();
    assert_eq!(v["owner"], false);
    assert_eq!(v["role"], "user");
}
