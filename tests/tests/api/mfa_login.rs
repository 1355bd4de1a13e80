//! The MFA login: `{email, password}` turns into a challenge, passed once
//! with a TOTP code or a recovery code; what kills a challenge; what holds
//! whatever the provider says.

use std::sync::Arc;

use roster_tests::app::{TestApp, PASSWORD};
use roster_tests::races::all_at_once;
use roster_tests::totp;
use serde_json::{json, Value};

const ANN: &str = "ann@example.com";

#[tokio::test]
async fn login_turns_into_a_challenge_passed_once_with_a_code_and_once_with_a_recovery_code() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    // The password alone gives no tokens.
    let session = app.challenge(ANN, PASSWORD).await;
    let code = totp::code(&mfa.secret);
    let v = app.answer(&session, &code).await.ok();
    assert_eq!(v["user"]["id"], ann.id.as_str());
    let token = v["accessToken"].as_str().unwrap().to_string();
    app.call("user/info", Some(&token), json!({})).await.ok();
    // The same code is refused the second time, and the challenge is single-use.
    let again = app.challenge(ANN, PASSWORD).await;
    app.answer(&again, &code).await.err(401, "UNAUTHENTICATED");
    app.answer(&session, &totp::code(&mfa.secret))
        .await
        .err(401, "UNAUTHENTICATED");
    // A recovery code completes a login once.
    let v = app.answer(&again, &mfa.recovery[0]).await.ok();
    let token = v["accessToken"].as_str().unwrap().to_string();
    let info = app.call("user/info", Some(&token), json!({})).await.ok();
    assert_eq!(info["recoveryCodesLeft"], 9);
    let third = app.challenge(ANN, PASSWORD).await;
    app.answer(&third, &mfa.recovery[0])
        .await
        .err(401, "UNAUTHENTICATED");
    // Recovery codes are taken as printed, in any case, dashes or not.
    let typed = mfa.recovery[1].to_uppercase().replace('-', " ");
    app.answer(&third, &typed).await.ok();
    // A wrong password still reads as one.
    app.login(ANN, "wrong password!")
        .await
        .err(401, "UNAUTHENTICATED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_challenge_dies_after_five_wrong_codes_even_in_parallel() {
    let app = Arc::new(TestApp::new().await);
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    let session = app.challenge(ANN, PASSWORD).await;
    let wrong = totp::wrong_code(&mfa.secret);
    let answers = all_at_once(
        &app,
        8,
        "user/login",
        |_| json!({"session": session, "code": wrong}),
    )
    .await;
    for r in answers {
        r.err(401, "UNAUTHENTICATED");
    }
    // Dead: even the right code (or a recovery code) is refused now.
    app.answer(&session, &totp::code(&mfa.secret))
        .await
        .err(401, "UNAUTHENTICATED");
    app.answer(&session, &mfa.recovery[0])
        .await
        .err(401, "UNAUTHENTICATED");
    // A new challenge starts over.
    let fresh = app.challenge(ANN, PASSWORD).await;
    app.answer(&fresh, &mfa.recovery[0]).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_recovery_code_completes_one_login_even_in_parallel() {
    let app = Arc::new(TestApp::new().await);
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    let mut sessions = Vec::new();
    for _ in 0..4 {
        sessions.push(app.challenge(ANN, PASSWORD).await);
    }
    let answers = all_at_once(
        &app,
        4,
        "user/login",
        |i| json!({"session": sessions[i], "code": mfa.recovery[0]}),
    )
    .await;
    let mut ok = 0;
    for r in answers {
        if r.status == 200 {
            ok += 1;
        } else {
            r.err(401, "UNAUTHENTICATED");
        }
    }
    assert_eq!(ok, 1);
}

#[tokio::test]
async fn an_altered_foreign_or_expired_challenge_is_refused() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    let session = app.challenge(ANN, PASSWORD).await;
    let mut altered = session.clone().into_bytes();
    let at = altered.len() / 2;
    altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    // The same challenge, five minutes later.
    let keys = &app.roster.keys;
    let mut inner: Value =
        serde_json::from_slice(&keys.open("mfa challenge", &session).unwrap()).unwrap();
    inner["e"] = json!(roster_core::clock::now_ms() - 1);
    let expired = keys
        .seal("mfa challenge", inner.to_string().as_bytes())
        .unwrap();
    let other = TestApp::new().await;
    let foreign = other
        .roster
        .keys
        .seal("mfa challenge", inner.to_string().as_bytes())
        .unwrap();
    for bad in [
        altered.as_str(),
        expired.as_str(),
        foreign.as_str(),
        "",
        "x",
    ] {
        app.answer(bad, &mfa.recovery[0])
            .await
            .err(401, "UNAUTHENTICATED");
    }
    // None of that spent the code or the challenge.
    app.answer(&session, &mfa.recovery[0]).await.ok();
}

#[tokio::test]
async fn mfa_holds_when_the_provider_lost_it_but_roster_did_not() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    app.drop_mfa_at_provider(&ann.id).await;
    // The password alone still gives no tokens.
    let session = app.challenge(ANN, PASSWORD).await;
    app.answer(&session, &mfa.recovery[0]).await.ok();
}

#[tokio::test]
async fn more_challenges_buy_no_more_code_guesses() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    let wrong = totp::wrong_code(&mfa.secret);
    // Two challenges' worth of wrong codes in one window...
    for _ in 0..2 {
        let session = app.challenge(ANN, PASSWORD).await;
        for _ in 0..5 {
            app.answer(&session, &wrong)
                .await
                .err(401, "UNAUTHENTICATED");
        }
    }
    // ...and a third challenge takes no code at all, not even a right one.
    let session = app.challenge(ANN, PASSWORD).await;
    app.answer(&session, &mfa.recovery[0])
        .await
        .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_challenge_opened_before_a_password_reset_is_void() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    let session = app.challenge(ANN, PASSWORD).await;
    std::thread::sleep(std::time::Duration::from_millis(5));
    app.call("user/forgotPassword", None, json!({"email": ANN}))
        .await
        .ok();
    let link = app.link_from_mail(ANN, "/reset?token=").unwrap();
    app.call(
        "user/resetPassword",
        None,
        json!({"token": roster_tests::app::token_of(&link), "password": "a reset passphrase"}),
    )
    .await
    .ok();
    app.answer(&session, &mfa.recovery[0])
        .await
        .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_challenge_takes_exactly_five_codes() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    let wrong = totp::wrong_code(&mfa.secret);
    // Four wrong, then a right one: still alive.
    let session = app.challenge(ANN, PASSWORD).await;
    for _ in 0..4 {
        app.answer(&session, &wrong)
            .await
            .err(401, "UNAUTHENTICATED");
    }
    app.answer(&session, &mfa.recovery[0]).await.ok();
    // Five wrong: dead.
    let session = app.challenge(ANN, PASSWORD).await;
    for _ in 0..5 {
        app.answer(&session, &wrong)
            .await
            .err(401, "UNAUTHENTICATED");
    }
    app.answer(&session, &mfa.recovery[1])
        .await
        .err(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn the_password_limit_holds_for_a_user_with_mfa() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    app.enrol(&ann).await;
    // Right passwords whose challenges are never answered stay counted...
    for _ in 0..3 {
        app.challenge(ANN, PASSWORD).await;
    }
    for _ in 0..2 {
        app.login(ANN, "wrong password!")
            .await
            .err(401, "UNAUTHENTICATED");
    }
    // ...so the sixth attempt in the window is refused, right or wrong.
    app.login(ANN, PASSWORD).await.err(429, "RATE_LIMITED");
}
