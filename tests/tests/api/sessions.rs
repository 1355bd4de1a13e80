//! Sessions: refresh rotation, logout, and changes that act on the next request.

use roster_core::ports::{Key, Op};
use roster_tests::app::{TestApp, OWNER_EMAIL, PASSWORD};
use roster_tests::faults::faulty_app;
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

#[tokio::test]
async fn a_guessed_refresh_secret_for_a_known_session_changes_nothing() {
    let app = TestApp::new().await;
    // The session id is in every access token; only the secret is secret.
    let sid = app.owner.refresh.split('.').next().unwrap();
    for guess in ["x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
        app.call(
            "user/refresh",
            None,
            json!({"refreshToken": format!("{sid}.{guess}")}),
        )
        .await
        .err(401, "UNAUTHENTICATED");
    }
    // The real refresh token and its access token still work.
    app.as_owner("user/info", json!({})).await.ok();
    app.call(
        "user/refresh",
        None,
        json!({"refreshToken": app.owner.refresh}),
    )
    .await
    .ok();
}

#[tokio::test]
async fn replaying_the_refresh_token_just_rotated_away_ends_the_session_and_its_access_token_at_once(
) {
    let app = TestApp::new().await;
    let v = app
        .call(
            "user/refresh",
            None,
            json!({"refreshToken": app.owner.refresh}),
        )
        .await
        .ok();
    let access = v["accessToken"].as_str().unwrap().to_string();
    app.call("user/info", Some(&access), json!({})).await.ok();
    // A copy of the spent token comes back.
    app.call(
        "user/refresh",
        None,
        json!({"refreshToken": app.owner.refresh}),
    )
    .await
    .err(401, "UNAUTHENTICATED");
    // The session's current access token stops working now, not in 15 minutes.
    app.call("user/info", Some(&access), json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    app.call("user/info", Some(&app.owner.token), json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    // Other sessions of the user are not touched.
    let other = app.logged_in(OWNER_EMAIL, PASSWORD).await;
    app.as_member(&other, "user/info", json!({})).await.ok();
}

#[tokio::test]
async fn change_password_ends_the_sessions_even_when_the_user_was_written_meanwhile() {
    let (app, table) = faulty_app().await;
    let ann = app.member("ann@example.com", "user").await;
    let other = app.logged_in("ann@example.com", PASSWORD).await;
    // An admin's edit lands between the password change and the write that
    // ends the sessions: that write must not give up on the version race.
    let key = Key::new(
        format!("ACCT#{}", account_of(&app, &ann).await),
        format!("USER#{}", ann.id),
    );
    table.interleave_before_write_to(
        key.clone(),
        vec![Op::update(key).set("first", "Edited").add("version", 1)],
    );
    app.as_member(
        &ann,
        "user/changePassword",
        json!({"currentPassword": PASSWORD, "password": "a brand new secret"}),
    )
    .await
    .ok();
    for token in [&ann.token, &other.token] {
        app.call("user/info", Some(token), json!({}))
            .await
            .err(401, "UNAUTHENTICATED");
    }
    let v = app
        .login("ann@example.com", "a brand new secret")
        .await
        .ok();
    // The admin's edit is kept too.
    assert_eq!(v["user"]["first"], "Edited");
}

async fn account_of(app: &TestApp, who: &roster_tests::app::Member) -> String {
    app.as_member(who, "user/info", json!({})).await.ok()["accountId"]
        .as_str()
        .unwrap()
        .to_string()
}
