//! The replaced APIs (DESIGN §4b), what a signed-in user does to itself:
//! `userinfo`, `update_user`, `reset_password`, `generate_mfa_token`,
//! `set_mfa`, `package_inquiry`; their auth styles and error model.

use roster_tests::app::{Options, TestApp, PASSWORD};
use roster_tests::compat::uuid;
use roster_tests::totp;
use serde_json::json;

#[tokio::test]
async fn userinfo_maps_the_caller_and_its_account() {
    let app = TestApp::new().await;
    let owner = app
        .send("GET", "/api/v1/user/userinfo", Some(&app.owner.token), None)
        .await;
    let v = owner.json();
    let account = app.as_owner("account/get", json!({})).await.ok();
    assert_eq!(v["userId"], uuid(&app.owner.id));
    assert_eq!(v["username"], app.owner.email.as_str());
    assert_eq!(v["accountId"], uuid(account["id"].as_str().unwrap()));
    assert_eq!(v["accountName"], "Acme");
    // The owner: the admin type, and `owner`.
    assert_eq!(
        (v["userType"].clone(), v["owner"].clone()),
        (json!(16), json!(true))
    );
    assert_eq!(v["subscriptionType"], 1); // team
    assert_eq!(
        (v["migration"].clone(), v["mfa"].clone()),
        (json!(false), json!(false))
    );
    assert_eq!(v["authProvider"], 0);
    let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "accountId",
            "accountName",
            "authProvider",
            "firstname",
            "lastname",
            "mfa",
            "migration",
            "owner",
            "subscriptionType",
            "userId",
            "userType",
            "username"
        ]
    );
    for (role, user_type) in [("admin", 16), ("user", 32), ("viewer", 64)] {
        let m = app.member(&format!("{role}@example.com"), role).await;
        let v = app
            .send("GET", "/api/v1/user/userinfo", Some(&m.token), None)
            .await
            .json();
        assert_eq!(
            (v["userType"].clone(), v["owner"].clone()),
            (json!(user_type), json!(false))
        );
        assert_eq!(v["firstname"], "Test");
    }
}

#[tokio::test]
async fn a_missing_or_bad_token_is_401_on_both_styles() {
    let app = TestApp::new().await;
    for (method, uri) in [
        ("GET", "/api/v1/user/userinfo"),
        ("GET", "/api/v1/user/package_inquiry"),
        ("GET", "/user/package_inquiry"),
        ("GET", "/user/package_inquiry?token="),
        ("GET", "/user/package_inquiry?token=not-a-token"),
        ("POST", "/user/generate_mfa_token?token=x.y.z"),
    ] {
        let a = app.send(method, uri, None, None).await;
        assert_eq!(a.status, 401, "{uri}: {}", a.text);
    }
    let a = app
        .send("GET", "/api/v1/user/userinfo", Some("not-a-token"), None)
        .await;
    assert_eq!(a.status, 401);
    // The local API reads the token from the query, not the header.
    let a = app
        .send("GET", "/user/package_inquiry", Some(&app.owner.token), None)
        .await;
    assert_eq!(a.status, 401);
    // And a route answers only its method.
    let a = app
        .send(
            "POST",
            "/api/v1/user/userinfo",
            Some(&app.owner.token),
            None,
        )
        .await;
    assert_eq!(a.status, 405);
}

#[tokio::test]
async fn package_inquiry_is_what_the_plan_has_left() {
    let plan = r#"{"seats": {"admin": 3, "user": 10, "viewer": 5}, "groups": 4,
                   "features": {"storageGb": 500, "connections": 7, "sso": true, "logs": false}}"#;
    let app = TestApp::with(Options {
        plan,
        ..Options::default()
    })
    .await;
    let hosted = || {
        app.send(
            "GET",
            "/api/v1/user/package_inquiry",
            Some(&app.owner.token),
            None,
        )
    };
    let v = hosted().await.json();
    assert_eq!(
        v,
        json!({"adminUsers": 2, "creativeUsers": 10, "standardUsers": 5, "storage": 500,
               "connections": 7, "projects": 0, "teams": 4, "drives": 0, "syncs": 0,
               "logs": false, "sso": true})
    );
    // Inserting a user of a kind lowers exactly its field; a group, `teams`.
    app.invite("ann@example.com", "user").await;
    app.as_owner("group/create", json!({"name": "Eng"}))
        .await
        .ok();
    let after = hosted().await.json();
    assert_eq!(after["creativeUsers"], 9);
    assert_eq!(after["teams"], 3);
    for f in ["adminUsers", "standardUsers", "storage"] {
        assert_eq!(after[f], v[f], "{f}");
    }
    app.invite("vic@example.com", "viewer").await;
    app.invite("ada@example.com", "admin").await;
    let local = app
        .send(
            "GET",
            &format!("/user/package_inquiry?token={}", app.owner.token),
            None,
            None,
        )
        .await
        .json();
    assert_eq!(
        (
            local["adminUsers"].clone(),
            local["creativeUsers"].clone(),
            local["standardUsers"].clone()
        ),
        (json!(1), json!(9), json!(4))
    );
}

#[tokio::test]
async fn update_user_renames_the_caller_and_an_admins_account() {
    let app = TestApp::new().await;
    let v = app
        .send(
            "PUT",
            "/api/v1/user/update_user",
            Some(&app.owner.token),
            Some(json!({"accountName": "Acme Ltd", "firstName": "Olive", "lastName": "Owner"})),
        )
        .await
        .json();
    assert_eq!(
        (
            v["firstname"].clone(),
            v["lastname"].clone(),
            v["accountName"].clone()
        ),
        (json!("Olive"), json!("Owner"), json!("Acme Ltd"))
    );
    let account = app.as_owner("account/get", json!({})).await.ok();
    assert_eq!(account["name"], "Acme Ltd");
    // A user renames itself; naming another account name is ACCESS, and
    // nothing is written.
    let bob = app.member("bob@example.com", "user").await;
    let v = app
        .send(
            "PUT",
            "/api/v1/user/update_user",
            Some(&bob.token),
            Some(json!({"accountName": "Acme Ltd", "firstName": "Rob", "lastName": null})),
        )
        .await
        .json();
    assert_eq!(
        (v["firstname"].clone(), v["lastname"].clone()),
        (json!("Rob"), json!("User"))
    );
    let a = app
        .send(
            "PUT",
            "/api/v1/user/update_user",
            Some(&bob.token),
            Some(json!({"accountName": "Bob's", "firstName": "Bobby"})),
        )
        .await;
    a.refused("ACCESS");
    let me = app.as_member(&bob, "user/info", json!({})).await.ok();
    assert_eq!(me["first"], "Rob");
    // A rule broken: 499 INVALID, naming the field.
    let a = app
        .send(
            "PUT",
            "/api/v1/user/update_user",
            Some(&bob.token),
            Some(json!({"firstName": "x".repeat(101)})),
        )
        .await;
    let body = a.refused("INVALID");
    assert!(body["errors"]["firstName"][0].is_string(), "{body}");
    // A wrong type: 400.
    let a = app
        .send(
            "PUT",
            "/api/v1/user/update_user",
            Some(&bob.token),
            Some(json!({"firstName": 3})),
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.text);
}

#[tokio::test]
async fn reset_password_needs_the_current_one() {
    let app = TestApp::new().await;
    let bob = app.member("bob@example.com", "user").await;
    let new = "a brand new passphrase";
    let a = app
        .send(
            "POST",
            "/api/v1/user/reset_password",
            Some(&bob.token),
            Some(json!({"password": new, "currentPassword": "wrong guess here"})),
        )
        .await;
    assert_eq!(a.status, 499, "{}", a.text);
    app.send(
        "POST",
        "/api/v1/user/reset_password",
        Some(&bob.token),
        Some(json!({"password": new, "currentPassword": PASSWORD})),
    )
    .await
    .empty();
    app.logged_in("bob@example.com", new).await;
}

#[tokio::test]
async fn mfa_enrolment_through_both_apis() {
    let app = TestApp::new().await;
    for (user, local) in [("ann@example.com", false), ("bob@example.com", true)] {
        let m = app.member(user, "user").await;
        let (token, uri) = if local {
            (None, format!("/user/generate_mfa_token?token={}", m.token))
        } else {
            (
                Some(m.token.clone()),
                "/api/v1/user/generate_mfa_token".to_string(),
            )
        };
        let a = app.send("POST", &uri, token.as_deref(), None).await;
        assert_eq!(a.status, 200, "{}", a.text);
        assert!(a.content_type.as_deref().unwrap().starts_with("text/plain"));
        let secret = a.text.clone();
        // The bare secret, not JSON or a URI (the code below proves it is
        // the real one; the emulator's pool hands every user one fixed secret).
        assert!(
            !secret.is_empty()
                && !secret.contains(char::is_whitespace)
                && !secret.starts_with(['"', '{'])
                && !secret.contains(':'),
            "{secret}"
        );
        let set_uri = uri.replace("generate_mfa_token", "set_mfa");
        let a = app
            .send(
                "POST",
                &set_uri,
                token.as_deref(),
                Some(json!({"enabled": true, "userCode": "000000"})),
            )
            .await;
        assert_eq!(a.status, 499, "{}", a.text);
        app.send(
            "POST",
            &set_uri,
            token.as_deref(),
            Some(json!({"enabled": true, "userCode": totp::code(&secret)})),
        )
        .await
        .empty();
        let info = app.as_member(&m, "user/info", json!({})).await.ok();
        assert_eq!(info["mfa"], true, "{user}");
    }
}

/// Collects what the log would print.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_token_in_the_query_never_reaches_a_log_line() {
    let app = TestApp::new().await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let token = app.owner.token.clone();
    // Served, refused, malformed and unauthenticated calls alike.
    app.send(
        "GET",
        &format!("/user/package_inquiry?token={token}"),
        None,
        None,
    )
    .await
    .json();
    app.send(
        "POST",
        &format!("/user/set_mfa?token={token}"),
        None,
        Some(json!({"enabled": true, "userCode": "000000"})),
    )
    .await;
    app.send(
        "POST",
        &format!("/user/set_mfa?token={token}"),
        None,
        Some(json!({"enabled": "yes"})),
    )
    .await;
    let forged = format!("{token}x");
    app.send(
        "GET",
        &format!("/user/package_inquiry?token={forged}"),
        None,
        None,
    )
    .await;
    drop(guard);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("/user/package_inquiry"),
        "nothing was logged: {log}"
    );
    let secret_part = token.rsplit('.').next().unwrap();
    assert!(!log.contains(secret_part), "{log}");
}
