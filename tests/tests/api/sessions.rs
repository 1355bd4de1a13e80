//! Sessions: refresh rotation, logout, and changes that act on the next request.

use roster_tests::app::{TestApp, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn refresh_rotates_and_spends_the_old_token() {
    let app = TestApp::new().await;
    let v = app
        .call(
            "user/refresh",
            None,
            json!({"refreshToken": app.owner.refresh}),
        )
        .await
        .ok();
    let new_refresh = v["refreshToken"].as_str().unwrap();
    assert_ne!(new_refresh, app.owner.refresh);
    assert_eq!(v["user"]["id"], app.owner.id.as_str());
    let access = v["accessToken"].as_str().unwrap();
    app.call("user/info", Some(access), json!({})).await.ok();
    // The old one is spent.
    app.call(
        "user/refresh",
        None,
        json!({"refreshToken": app.owner.refresh}),
    )
    .await
    .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_spent_refresh_token_ends_its_session() {
    let app = TestApp::new().await;
    let v = app
        .call(
            "user/refresh",
            None,
            json!({"refreshToken": app.owner.refresh}),
        )
        .await
        .ok();
    let current = v["refreshToken"].as_str().unwrap().to_string();
    // Someone replays the spent token: the whole session dies.
    app.call(
        "user/refresh",
        None,
        json!({"refreshToken": app.owner.refresh}),
    )
    .await
    .err(401, "UNAUTHENTICATED");
    app.call("user/refresh", None, json!({"refreshToken": current}))
        .await
        .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_tampered_refresh_token_is_refused() {
    let app = TestApp::new().await;
    let mut t = app.owner.refresh.clone();
    t.push('x');
    for bad in [t.as_str(), "nonsense", "", "01ARZ3NDEKTSV4RRFFQ69G5FAV.abc"] {
        app.call("user/refresh", None, json!({"refreshToken": bad}))
            .await
            .err(401, "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn logout_ends_this_session_only() {
    let app = TestApp::new().await;
    let other = app.logged_in("owner@example.com", PASSWORD).await;
    app.as_owner("user/logout", json!({})).await.ok();
    app.as_owner("user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    app.call(
        "user/refresh",
        None,
        json!({"refreshToken": app.owner.refresh}),
    )
    .await
    .err(401, "UNAUTHENTICATED");
    app.as_member(&other, "user/info", json!({})).await.ok();
}

#[tokio::test]
async fn logout_all_ends_every_session() {
    let app = TestApp::new().await;
    let other = app.logged_in("owner@example.com", PASSWORD).await;
    app.as_owner("user/logout", json!({"all": true})).await.ok();
    app.as_owner("user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    app.as_member(&other, "user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    app.call("user/refresh", None, json!({"refreshToken": other.refresh}))
        .await
        .err(401, "UNAUTHENTICATED");
    // A new login works.
    app.logged_in("owner@example.com", PASSWORD).await;
}

#[tokio::test]
async fn a_removed_users_token_is_refused_at_once() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    app.as_member(&ann, "user/info", json!({})).await.ok();
    app.as_owner("user/remove", json!({"id": ann.id}))
        .await
        .ok();
    app.as_member(&ann, "user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    app.call("user/refresh", None, json!({"refreshToken": ann.refresh}))
        .await
        .err(401, "UNAUTHENTICATED");
    app.login("ann@example.com", PASSWORD)
        .await
        .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_role_change_acts_on_the_next_request() {
    let app = TestApp::new().await;
    let adm = app.member("adm@example.com", "admin").await;
    app.as_member(
        &adm,
        "user/invite",
        json!({"email": "a@example.com", "role": "user"}),
    )
    .await
    .ok();
    app.as_owner("user/updateRole", json!({"id": adm.id, "role": "user"}))
        .await
        .ok();
    // Same access token, new role.
    app.as_member(
        &adm,
        "user/invite",
        json!({"email": "b@example.com", "role": "user"}),
    )
    .await
    .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in_and_is_signed_out() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    let v = app
        .as_owner("user/update", json!({"id": ann.id, "state": "disabled"}))
        .await
        .ok();
    assert_eq!(v["state"], "disabled");
    app.as_member(&ann, "user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    app.call("user/refresh", None, json!({"refreshToken": ann.refresh}))
        .await
        .err(401, "UNAUTHENTICATED");
    let r = app.login("ann@example.com", PASSWORD).await;
    r.err(401, "UNAUTHENTICATED");
    // Enabled again, the user logs in.
    app.as_owner("user/update", json!({"id": ann.id, "state": "active"}))
        .await
        .ok();
    app.logged_in("ann@example.com", PASSWORD).await;
}

#[tokio::test]
async fn change_password_checks_the_current_one_and_signs_out_everywhere() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    let r = app
        .as_member(
            &ann,
            "user/changePassword",
            json!({"currentPassword": "not it at all", "password": "a brand new secret"}),
        )
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "currentPassword");
    let r = app
        .as_member(
            &ann,
            "user/changePassword",
            json!({"currentPassword": PASSWORD, "password": "short"}),
        )
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "password");
    app.as_member(
        &ann,
        "user/changePassword",
        json!({"currentPassword": PASSWORD, "password": "a brand new secret"}),
    )
    .await
    .ok();
    app.as_member(&ann, "user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    app.login("ann@example.com", PASSWORD)
        .await
        .err(401, "UNAUTHENTICATED");
    app.logged_in("ann@example.com", "a brand new secret").await;
}
