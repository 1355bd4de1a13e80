//! What admins may do, and what nobody may: roles, removal, invites, seats.

use roster_tests::app::{Options, TestApp, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn the_owners_role_cannot_be_changed() {
    let app = TestApp::new().await;
    let adm = app.member("adm@example.com", "admin").await;
    app.as_member(
        &adm,
        "user/updateRole",
        json!({"id": app.owner.id, "role": "user"}),
    )
    .await
    .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn the_owner_cannot_be_removed() {
    let app = TestApp::new().await;
    let adm = app.member("adm@example.com", "admin").await;
    app.as_member(&adm, "user/remove", json!({"id": app.owner.id}))
        .await
        .err(403, "FORBIDDEN");
    app.as_member(&adm, "user/remove", json!({"email": "owner@example.com"}))
        .await
        .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn nobody_changes_their_own_role() {
    let app = TestApp::new().await;
    let adm = app.member("adm@example.com", "admin").await;
    app.as_member(
        &adm,
        "user/updateRole",
        json!({"id": adm.id, "role": "user"}),
    )
    .await
    .err(403, "FORBIDDEN");
    app.as_owner(
        "user/updateRole",
        json!({"id": app.owner.id, "role": "admin"}),
    )
    .await
    .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn nobody_removes_themselves() {
    let app = TestApp::new().await;
    let adm = app.member("adm@example.com", "admin").await;
    app.as_member(&adm, "user/remove", json!({"id": adm.id}))
        .await
        .err(403, "FORBIDDEN");
    app.as_owner("user/remove", json!({"id": app.owner.id}))
        .await
        .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn an_admin_cannot_grant_owner() {
    let app = TestApp::new().await;
    let adm = app.member("adm@example.com", "admin").await;
    let ann = app.member("ann@example.com", "user").await;
    app.as_member(
        &adm,
        "user/updateRole",
        json!({"id": ann.id, "role": "owner"}),
    )
    .await
    .err(403, "FORBIDDEN");
    app.as_member(
        &adm,
        "user/invite",
        json!({"email": "x@example.com", "role": "owner"}),
    )
    .await
    .err(403, "FORBIDDEN");
    // Nor can the owner: an account has one owner.
    app.as_owner("user/updateRole", json!({"id": ann.id, "role": "owner"}))
        .await
        .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn an_admin_can_grant_up_to_its_own_role() {
    let app = TestApp::new().await;
    let adm = app.member("adm@example.com", "admin").await;
    let ann = app.member("ann@example.com", "viewer").await;
    let v = app
        .as_member(
            &adm,
            "user/updateRole",
            json!({"id": ann.id, "role": "admin"}),
        )
        .await
        .ok();
    assert_eq!(v["role"], "admin");
}

#[tokio::test]
async fn members_who_are_not_admins_cannot_administer() {
    let app = TestApp::new().await;
    let other = app.member("other@example.com", "user").await;
    for role in ["user", "viewer"] {
        let m = app.member(&format!("{role}@example.com"), role).await;
        let calls = [
            (
                "user/invite",
                json!({"email": "z@example.com", "role": "viewer"}),
            ),
            ("user/updateRole", json!({"id": other.id, "role": "viewer"})),
            ("user/remove", json!({"id": other.id})),
            ("user/resendInvite", json!({"id": other.id})),
            ("user/get", json!({"id": other.id})),
            ("user/update", json!({"id": other.id, "first": "X"})),
            ("account/update", json!({"name": "Mine"})),
        ];
        for (path, body) in calls {
            let r = app.as_member(&m, path, body).await;
            assert_eq!(r.code(), "FORBIDDEN", "{role} {path}: {}", r.body);
        }
    }
}

#[tokio::test]
async fn invite_validates_its_input() {
    let app = TestApp::new().await;
    let cases = [
        (json!({"email": "bad", "role": "user"}), "email"),
        (
            json!({"email": format!("{}@example.com", "a".repeat(250)), "role": "user"}),
            "email",
        ),
        (json!({"email": "a@example.com", "role": "boss"}), "role"),
        (
            json!({"email": "a@example.com", "role": "user", "first": "x".repeat(101)}),
            "first",
        ),
        (
            json!({"email": "a@example.com", "role": "user", "last": "x".repeat(101)}),
            "last",
        ),
    ];
    for (body, field) in cases {
        let r = app.as_owner("user/invite", body).await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), field);
    }
    // 100 characters are fine.
    app.as_owner(
        "user/invite",
        json!({"email": "a@example.com", "role": "user", "first": "x".repeat(100)}),
    )
    .await
    .ok();
    // A missing required field is a bad request.
    app.as_owner("user/invite", json!({"email": "b@example.com"}))
        .await
        .err(400, "BAD_REQUEST");
}

#[tokio::test]
async fn an_email_is_invited_once_per_account() {
    let app = TestApp::new().await;
    app.invite("ann@example.com", "user").await;
    let r = app
        .as_owner(
            "user/invite",
            json!({"email": "ANN@example.com", "role": "user"}),
        )
        .await;
    r.err(409, "CONFLICT");
    assert_eq!(r.field(), "email");
}

#[tokio::test]
async fn a_member_cannot_be_invited_again() {
    let app = TestApp::new().await;
    app.member("ann@example.com", "user").await;
    app.as_owner(
        "user/invite",
        json!({"email": "ann@example.com", "role": "user"}),
    )
    .await
    .err(409, "CONFLICT");
}

#[tokio::test]
async fn invites_hold_seats_and_the_plan_caps_them() {
    // The free plan has 3 user seats (and 2 admin, 5 viewer).
    let app = TestApp::with(Options {
        plan: "free",
        ..Options::default()
    })
    .await;
    for i in 0..3 {
        app.invite(&format!("u{i}@example.com"), "user").await;
    }
    let r = app
        .as_owner(
            "user/invite",
            json!({"email": "u9@example.com", "role": "user"}),
        )
        .await;
    r.err(409, "LIMIT_REACHED");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("user seat"));
    let acct = app.as_owner("account/get", json!({})).await.ok();
    assert_eq!(
        acct["seats"]["user"],
        json!({"limit": 3, "used": 3, "remaining": 0})
    );
    // Seats are per kind: a viewer still fits.
    app.invite("v@example.com", "viewer").await;
    // Nothing of the refused invite was kept: no user, no mail.
    let found = app
        .as_owner("user/find", json!({"email": "u9@example.com"}))
        .await
        .ok();
    assert_eq!(found["data"].as_array().unwrap().len(), 0);
    assert!(app.invite_token_from_mail("u9@example.com").is_none());
}

#[tokio::test]
async fn removing_a_user_frees_its_seat_and_email() {
    let app = TestApp::with(Options {
        plan: "free",
        ..Options::default()
    })
    .await;
    let ann = app.member("ann@example.com", "user").await;
    for i in 0..2 {
        app.invite(&format!("u{i}@example.com"), "user").await;
    }
    app.as_owner(
        "user/invite",
        json!({"email": "x@example.com", "role": "user"}),
    )
    .await
    .err(409, "LIMIT_REACHED");
    app.as_owner("user/remove", json!({"email": "ann@example.com"}))
        .await
        .ok();
    let acct = app.as_owner("account/get", json!({})).await.ok();
    assert_eq!(acct["seats"]["user"]["remaining"], 1);
    // The e-mail is free again: invited, it signs up anew.
    let again = app.member("ann@example.com", "viewer").await;
    assert_ne!(again.id, ann.id);
}

#[tokio::test]
async fn removing_a_pending_user_frees_its_seat_and_spends_its_invite() {
    let app = TestApp::new().await;
    let v = app.invite("ann@example.com", "user").await;
    let token = roster_tests::app::token_of(v["inviteUrl"].as_str().unwrap());
    let before =
        app.as_owner("account/get", json!({})).await.ok()["seats"]["user"]["remaining"].clone();
    app.as_owner("user/remove", json!({"id": v["id"]}))
        .await
        .ok();
    let after =
        app.as_owner("account/get", json!({})).await.ok()["seats"]["user"]["remaining"].clone();
    assert_eq!(after.as_i64().unwrap(), before.as_i64().unwrap() + 1);
    app.call("user/signupInfo", None, json!({"token": token}))
        .await
        .err(400, "TOKEN_INVALID");
    app.as_owner("user/get", json!({"id": v["id"]}))
        .await
        .err(404, "NOT_FOUND");
}

#[tokio::test]
async fn remove_needs_exactly_one_of_id_and_email() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    app.as_owner("user/remove", json!({}))
        .await
        .err(400, "INVALID");
    app.as_owner(
        "user/remove",
        json!({"id": ann.id, "email": "ann@example.com"}),
    )
    .await
    .err(400, "INVALID");
    let r = app
        .as_owner("user/remove", json!({"id": "not-an-id"}))
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "id");
}

#[tokio::test]
async fn update_role_with_send_invite_rotates_a_pending_users_invite() {
    let app = TestApp::new().await;
    let v = app.invite("ann@example.com", "user").await;
    let old = roster_tests::app::token_of(v["inviteUrl"].as_str().unwrap());
    let r = app
        .as_owner(
            "user/updateRole",
            json!({"id": v["id"], "role": "admin", "sendInvite": true}),
        )
        .await
        .ok();
    assert_eq!(r["role"], "admin");
    let new = roster_tests::app::token_of(r["inviteUrl"].as_str().unwrap());
    assert_ne!(old, new);
    assert_eq!(app.invite_token_from_mail("ann@example.com").unwrap(), new);
    app.call("user/signupInfo", None, json!({"token": old}))
        .await
        .err(400, "TOKEN_INVALID");
    let info = app
        .call("user/signupInfo", None, json!({"token": new}))
        .await
        .ok();
    assert_eq!(info["role"], "admin");
}

#[tokio::test]
async fn resend_invite_is_for_pending_users_only() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    app.as_owner("user/resendInvite", json!({"id": ann.id}))
        .await
        .err(409, "CONFLICT");
    let _ = PASSWORD;
}
