//! `user/login` with an id token from the hosted UI (DESIGN §4): `{}`,
//! `{register: true}` and `{invite}`, and what a linked user may and may not
//! do. On the AWS backend the tokens come from the emulator's user pool and
//! are checked against its JWKS over HTTP.

use roster_core::Roster;
use roster_tests::app::{token_of, Options, TestApp, OWNER_EMAIL, PASSWORD};
use serde_json::json;

async fn open_app() -> TestApp {
    TestApp::with(Options {
        open_registration: true,
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn register_links_the_identity_to_a_new_account_and_it_logs_in_again() {
    let app = open_app().await;
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    let v = app
        .hosted_login(&token, json!({"register": true, "accountName": "Ann's"}))
        .await
        .ok();
    assert_eq!(v["user"]["email"], "ann@example.com");
    assert_eq!(v["user"]["role"], "owner");
    assert_eq!(v["user"]["state"], "active");
    assert_eq!(v["account"]["name"], "Ann's");
    let id = v["user"]["id"].clone();
    // roster's own session works like any other.
    let access = v["accessToken"].as_str().unwrap();
    let info = app.call("user/info", Some(access), json!({})).await.ok();
    assert_eq!(info["id"], id);
    // The same identity, later: the token alone logs in the linked user.
    let again = app.hosted_login(&token, json!({})).await.ok();
    assert_eq!(again["user"]["id"], id);
}

#[tokio::test]
async fn register_without_a_name_names_the_account_after_the_email() {
    let app = open_app().await;
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    let v = app
        .hosted_login(&token, json!({"register": true}))
        .await
        .ok();
    assert_eq!(v["account"]["name"], "ann@example.com");
}

#[tokio::test]
async fn register_needs_open_registration() {
    let app = TestApp::new().await;
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    app.hosted_login(&token, json!({"register": true}))
        .await
        .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn register_needs_a_verified_email() {
    let app = open_app().await;
    let token = app.hosted_token("ann", "ann@example.com", false).await;
    app.hosted_login(&token, json!({"register": true}))
        .await
        .err(403, "FORBIDDEN");
    // Nothing was created: the e-mail is still free.
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    app.hosted_login(&token, json!({"register": true}))
        .await
        .ok();
}

#[tokio::test]
async fn an_email_that_has_a_user_cannot_register_again() {
    let app = open_app().await;
    let owner_email = app.owner.email.clone();
    let token = app.hosted_token("someone", &owner_email, true).await;
    let r = app.hosted_login(&token, json!({"register": true})).await;
    r.err(409, "CONFLICT");
    assert_eq!(r.field(), "email");
}

#[tokio::test]
async fn one_identity_links_to_one_user() {
    let app = open_app().await;
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    app.hosted_login(&token, json!({"register": true}))
        .await
        .ok();
    // The same identity (same sub) with another e-mail tries to register again.
    let token = app.hosted_token("ann", "ann@elsewhere.example", true).await;
    let r = app.hosted_login(&token, json!({"register": true})).await;
    r.err(409, "CONFLICT");
    assert_eq!(r.field(), "register");
}

#[tokio::test]
async fn a_token_of_no_linked_user_is_refused() {
    let app = open_app().await;
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    app.hosted_login(&token, json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_forged_or_garbage_token_is_refused() {
    let app = open_app().await;
    app.hosted_login("garbage", json!({"register": true}))
        .await
        .err(401, "UNAUTHENTICATED");
    // Claims edited after signing: the signature no longer matches.
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    let other = app.hosted_token("eve", "eve@example.com", true).await;
    let parts: Vec<&str> = token.split('.').collect();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        other.split('.').nth(1).unwrap(),
        parts[2]
    );
    app.hosted_login(&forged, json!({"register": true}))
        .await
        .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_token_goes_only_with_the_token_forms() {
    let app = open_app().await;
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    for body in [
        json!({"register": true, "email": "ann@example.com"}),
        json!({"register": true, "password": PASSWORD}),
        json!({"register": false}),
        json!({"invite": "x", "email": "ann@example.com"}),
    ] {
        app.hosted_login(&token, body.clone())
            .await
            .err(400, "BAD_REQUEST");
    }
}

/// The body picks the form: a password form is checked as one, whatever
/// token comes with it (a page that always sends its bearer logs in).
#[tokio::test]
async fn a_password_form_ignores_a_token_that_comes_with_it() {
    let app = open_app().await;
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    app.hosted_login(&token, json!({"email": OWNER_EMAIL, "password": PASSWORD}))
        .await
        .ok();
    app.hosted_login(
        &token,
        json!({"email": OWNER_EMAIL, "password": "wrong password!"}),
    )
    .await
    .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn an_invite_links_the_identity_to_the_invited_user() {
    let app = TestApp::new().await;
    let invited = app.invite("ann@example.com", "user").await;
    let invite = token_of(invited["inviteUrl"].as_str().unwrap());
    let seats = app.as_owner("account/get", json!({})).await.ok()["seats"].clone();
    let token = app.hosted_token("ann", "ann@example.com", false).await;
    let v = app
        .hosted_login(&token, json!({"invite": invite, "first": "Ann"}))
        .await
        .ok();
    assert_eq!(v["user"]["id"], invited["id"]);
    assert_eq!(v["user"]["state"], "active");
    assert_eq!(v["user"]["role"], "user");
    assert_eq!(v["user"]["first"], "Ann");
    // The invite held the seat; activating takes no other.
    let after = app.as_owner("account/get", json!({})).await.ok()["seats"].clone();
    assert_eq!(after, seats);
    // The invite is spent; the identity logs in with the token alone.
    app.hosted_login(&token, json!({"invite": invite}))
        .await
        .err(400, "TOKEN_INVALID");
    let again = app.hosted_login(&token, json!({})).await.ok();
    assert_eq!(again["user"]["id"], invited["id"]);
}

#[tokio::test]
async fn an_invite_is_only_for_the_identity_with_its_email() {
    let app = TestApp::new().await;
    let invited = app.invite("ann@example.com", "user").await;
    let invite = token_of(invited["inviteUrl"].as_str().unwrap());
    let token = app.hosted_token("eve", "eve@example.com", true).await;
    app.hosted_login(&token, json!({"invite": invite}))
        .await
        .err(403, "FORBIDDEN");
    // The invite is untouched.
    app.call("user/signupInfo", None, json!({"token": invite}))
        .await
        .ok();
}

/// A user linked from the hosted UI, and its access token.
async fn linked(app: &TestApp) -> (String, String, String) {
    let invited = app.invite("ann@example.com", "user").await;
    let invite = token_of(invited["inviteUrl"].as_str().unwrap());
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    let v = app
        .hosted_login(&token, json!({"invite": invite}))
        .await
        .ok();
    (
        v["user"]["id"].as_str().unwrap().to_string(),
        v["accessToken"].as_str().unwrap().to_string(),
        token,
    )
}

#[tokio::test]
async fn a_linked_user_changes_its_password_in_the_hosted_ui() {
    let app = TestApp::new().await;
    let (_, access, _) = linked(&app).await;
    app.call(
        "user/changePassword",
        Some(&access),
        json!({"currentPassword": PASSWORD, "password": "another good passphrase"}),
    )
    .await
    .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn a_disabled_linked_user_cannot_log_in() {
    let app = TestApp::new().await;
    let (id, _, token) = linked(&app).await;
    app.as_owner("user/update", json!({"id": id, "state": "disabled"}))
        .await
        .ok();
    app.hosted_login(&token, json!({}))
        .await
        .err(403, "FORBIDDEN");
    app.as_owner("user/update", json!({"id": id, "state": "active"}))
        .await
        .ok();
    app.hosted_login(&token, json!({})).await.ok();
}

#[tokio::test]
async fn removing_a_linked_user_unlinks_its_identity() {
    let app = open_app().await;
    let (id, _, token) = linked(&app).await;
    app.as_owner("user/remove", json!({"id": id})).await.ok();
    app.hosted_login(&token, json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    // Identity and e-mail are free again: the same person can register.
    app.hosted_login(&token, json!({"register": true}))
        .await
        .ok();
}

#[tokio::test]
async fn without_a_user_pool_hosted_tokens_are_refused() {
    let mut app = TestApp::new().await;
    let token = app.hosted_token("ann", "ann@example.com", true).await;
    let roster = Roster {
        hosted_ui: None,
        ..app.roster.clone()
    };
    app.use_roster(roster);
    app.hosted_login(&token, json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn with_scim_mail_off_a_provisioned_user_joins_on_its_first_hosted_login() {
    use roster_tests::scim::okta_user;
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    app.as_member(&ann, "account/update", json!({"scimInviteMail": false}))
        .await
        .err(403, "FORBIDDEN");
    let v = app
        .as_owner("account/update", json!({"scimInviteMail": false}))
        .await
        .ok();
    assert_eq!(v["scimInviteMail"], false);
    let log = app
        .as_owner("account/audit", json!({"action": "account/update"}))
        .await
        .ok();
    assert_eq!(log["data"][0]["detail"]["scimInviteMail"], false, "{log}");
    let scim = app.scim_token().await;
    let u = app
        .scim(
            "POST",
            "/Users",
            &scim,
            Some(okta_user("ivy@example.com", "Ivy", "Ng")),
        )
        .await
        .expect(201);
    assert!(app.invite_token_from_mail("ivy@example.com").is_none());
    // Not with an unverified e-mail, nor another address.
    let unverified = app
        .hosted_token("ivy-unverified", "ivy@example.com", false)
        .await;
    app.hosted_login(&unverified, json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    let other = app.hosted_token("eve", "eve@example.com", true).await;
    app.hosted_login(&other, json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    // The identity with the provisioned e-mail joins, and is linked.
    let ivy = app.hosted_token("ivy", "ivy@example.com", true).await;
    let v = app.hosted_login(&ivy, json!({})).await.ok();
    assert_eq!(v["user"]["id"], u["id"]);
    assert_eq!(v["user"]["state"], "active");
    let again = app.hosted_login(&ivy, json!({})).await.ok();
    assert_eq!(again["user"]["id"], u["id"]);

    // A user deactivated by its provider does not join.
    let mut off = okta_user("joe@example.com", "Joe", "K");
    off["active"] = json!(false);
    app.scim("POST", "/Users", &scim, Some(off))
        .await
        .expect(201);
    let joe = app.hosted_token("joe", "joe@example.com", true).await;
    app.hosted_login(&joe, json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    // With the mail on again, a new user gets its link and joins only by it.
    app.as_owner("account/update", json!({"scimInviteMail": true}))
        .await
        .ok();
    app.scim(
        "POST",
        "/Users",
        &scim,
        Some(okta_user("kim@example.com", "Kim", "L")),
    )
    .await
    .expect(201);
    assert!(app.invite_token_from_mail("kim@example.com").is_some());
    let kim = app.hosted_token("kim", "kim@example.com", true).await;
    app.hosted_login(&kim, json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    // An invite made in roster never joins without its link either.
    app.invite("lee@example.com", "user").await;
    let lee = app.hosted_token("lee", "lee@example.com", true).await;
    app.hosted_login(&lee, json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn parallel_first_hosted_logins_join_once() {
    use roster_tests::scim::okta_user;
    let app = std::sync::Arc::new(TestApp::new().await);
    app.as_owner("account/update", json!({"scimInviteMail": false}))
        .await
        .ok();
    let scim = app.scim_token().await;
    let u = app
        .scim(
            "POST",
            "/Users",
            &scim,
            Some(okta_user("ivy@example.com", "Ivy", "Ng")),
        )
        .await
        .expect(201);
    let token = app.hosted_token("ivy", "ivy@example.com", true).await;
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let (app, token) = (app.clone(), token.clone());
            tokio::spawn(async move { app.hosted_login(&token, json!({})).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    // One joins; the others, finding the invite spent or the user active,
    // log in as the user it linked.
    for r in &answers {
        assert_eq!(r.status, 200, "{answers:?}");
    }
    // One user, linked once: the identity logs in as it.
    let v = app.hosted_login(&token, json!({})).await.ok();
    assert_eq!(v["user"]["id"], u["id"]);
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["seats"]["user"]["used"], 1);
}
