//! Logging in: the forms, wrong credentials, rate limiting, tampered tokens.

use std::sync::atomic::Ordering;

use roster_tests::app::{TestApp, OWNER_EMAIL, PASSWORD};
use roster_tests::identity::Counting;
use serde_json::json;

#[tokio::test]
async fn login_returns_tokens_user_and_account() {
    let app = TestApp::new().await;
    let v = app.login(OWNER_EMAIL, PASSWORD).await.ok();
    assert!(v["accessToken"].as_str().unwrap().len() > 20);
    assert!(v["refreshToken"].as_str().unwrap().len() > 20);
    assert_eq!(v["expiresIn"], 900);
    assert_eq!(v["user"]["email"], OWNER_EMAIL);
    assert_eq!(v["user"]["role"], "owner");
    assert_eq!(v["account"]["name"], "Acme");
}

#[tokio::test]
async fn login_email_is_trimmed_and_case_insensitive() {
    let app = TestApp::new().await;
    app.login("Owner@Example.COM", PASSWORD).await.ok();
    // DESIGN §3 trims e-mails; the document's `email` format can't say so.
    let padded = json!({"email": "  Owner@Example.COM ", "password": PASSWORD});
    app.call_beyond_contract("user/login", None, padded)
        .await
        .ok();
}

#[tokio::test]
async fn a_failed_login_reads_the_same_for_known_and_unknown_emails() {
    let app = TestApp::new().await;
    let known = app.login(OWNER_EMAIL, "wrong password!").await;
    let unknown = app.login("nobody@example.com", "wrong password!").await;
    known.err(401, "UNAUTHENTICATED");
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body, unknown.body);
}

#[tokio::test]
async fn an_unknown_email_still_costs_a_password_check() {
    let app = TestApp::new().await;
    let counting = Counting::new(app.roster.identity.clone());
    let mut roster = app.roster.clone();
    roster.identity = counting.clone();
    roster
        .login("nobody@example.com", "wrong password!")
        .await
        .unwrap_err();
    roster
        .login(OWNER_EMAIL, "wrong password!")
        .await
        .unwrap_err();
    assert_eq!(counting.unknown.load(Ordering::SeqCst), 1);
    assert_eq!(counting.known.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_alike_for_known_and_unknown_emails() {
    let app = TestApp::new().await;
    for email in [OWNER_EMAIL, "nobody@example.com"] {
        for _ in 0..5 {
            app.login(email, "wrong password!")
                .await
                .err(401, "UNAUTHENTICATED");
        }
    }
    let known = app.login(OWNER_EMAIL, "wrong password!").await;
    let unknown = app.login("nobody@example.com", "wrong password!").await;
    known.err(429, "RATE_LIMITED");
    assert_eq!(known.body, unknown.body);
    // Even the right password waits for the window to end.
    app.login(OWNER_EMAIL, PASSWORD)
        .await
        .err(429, "RATE_LIMITED");
}

#[tokio::test]
async fn failures_are_counted_in_the_table_not_in_memory() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        app.login(OWNER_EMAIL, "wrong password!").await;
    }
    // Another instance on the same table (another Lambda) sees the lock.
    let fresh = roster_core::Roster {
        table: app.roster.table.clone(),
        identity: app.roster.identity.clone(),
        mailer: app.roster.mailer.clone(),
        keys: app.roster.keys.clone(),
        settings: app.roster.settings.clone(),
        hosted_ui: None,
    };
    let err = fresh.login(OWNER_EMAIL, PASSWORD).await.unwrap_err();
    assert!(matches!(err, roster_core::Error::RateLimited));
}

#[tokio::test]
async fn a_successful_login_clears_earlier_failures() {
    let app = TestApp::new().await;
    for _ in 0..4 {
        app.login(OWNER_EMAIL, "wrong password!").await;
    }
    app.login(OWNER_EMAIL, PASSWORD).await.ok();
    for _ in 0..4 {
        app.login(OWNER_EMAIL, "wrong password!")
            .await
            .err(401, "UNAUTHENTICATED");
    }
    app.login(OWNER_EMAIL, PASSWORD).await.ok();
}

#[tokio::test]
async fn login_forms_cannot_be_mixed() {
    let app = TestApp::new().await;
    let bad = [
        json!({"email": OWNER_EMAIL}),
        json!({"password": PASSWORD}),
        json!({"email": OWNER_EMAIL, "password": PASSWORD, "code": "123456"}),
        json!({"invite": "x", "email": OWNER_EMAIL, "password": PASSWORD}),
        json!({"register": false, "email": OWNER_EMAIL, "password": PASSWORD, "accountName": "X"}),
        json!({"session": "x"}),
    ];
    for body in bad {
        app.call("user/login", None, body.clone())
            .await
            .err(400, "BAD_REQUEST");
    }
}

#[tokio::test]
async fn a_hosted_ui_form_without_its_token_is_unauthenticated() {
    let app = TestApp::new().await;
    for body in [
        json!({}),
        json!({"register": true}),
        json!({"register": true, "accountName": "Acme"}),
        json!({"invite": "x", "first": "Ann"}),
        json!({"invite": "x", "first": "A\u{7}nn"}),
    ] {
        app.call("user/login", None, body.clone())
            .await
            .err(401, "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn an_invalid_email_at_login_is_invalid() {
    let app = TestApp::new().await;
    let r = app.login("not-an-email", PASSWORD).await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "email");
}

#[tokio::test]
async fn an_mfa_answer_without_a_challenge_is_refused() {
    let app = TestApp::new().await;
    app.call(
        "user/login",
        None,
        json!({"session": "made-up", "code": "123456"}),
    )
    .await
    .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn registration_is_closed_by_default() {
    let app = TestApp::new().await;
    let body = json!({"register": true, "email": "new@example.com",
                      "password": PASSWORD, "accountName": "New"});
    app.call("user/login", None, body)
        .await
        .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn a_missing_bearer_token_is_unauthenticated() {
    let app = TestApp::new().await;
    app.call("user/info", None, json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    let r = app.raw("user/info", "", None, Vec::new()).await;
    r.err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_tampered_access_token_is_refused() {
    let app = TestApp::new().await;
    let t = &app.owner.token;
    let (head, rest) = t.split_once('.').unwrap();
    let (claims, sig) = rest.split_once('.').unwrap();
    // Flip one character of the claims, then of the signature.
    let flip = |s: &str| {
        let mut c: Vec<char> = s.chars().collect();
        let i = c.len() / 2;
        c[i] = if c[i] == 'A' { 'B' } else { 'A' };
        c.into_iter().collect::<String>()
    };
    for bad in [
        format!("{head}.{}.{sig}", flip(claims)),
        format!("{head}.{claims}.{}", flip(sig)),
        "garbage".to_string(),
        format!("{head}.{claims}."),
    ] {
        app.call("user/info", Some(&bad), json!({}))
            .await
            .err(401, "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn a_token_signed_by_another_key_is_refused() {
    let a = TestApp::new().await;
    let b = TestApp::new().await;
    b.call("user/info", Some(&a.owner.token), json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
}
