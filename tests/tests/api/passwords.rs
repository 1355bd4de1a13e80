//! Forgotten passwords: the same answer for every address, a mailed link that
//! works once for an hour, and every session ended by the reset.

use std::sync::atomic::Ordering;

use roster_core::ports::{Key, Op};
use roster_tests::app::{token_of, TestApp, OWNER_EMAIL, PASSWORD};
use roster_tests::faults::FaultyTable;
use roster_tests::identity::Counting;
use roster_tests::races::one_link_sets_one_password;
use serde_json::json;

const NEW: &str = "a fresh passphrase";

async fn forgot(app: &TestApp, email: &str) -> roster_tests::app::Resp {
    app.call("user/forgotPassword", None, json!({"email": email}))
        .await
}

fn reset_token(app: &TestApp, email: &str) -> Option<String> {
    app.link_from_mail(email, "/reset?token=")
        .map(|l| token_of(&l))
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_every_address_and_mails_only_users() {
    let app = TestApp::new().await;
    app.invite("pending@example.com", "user").await;
    let off = app.member("off@example.com", "user").await;
    app.as_owner("user/update", json!({"id": off.id, "state": "disabled"}))
        .await
        .ok();
    let known = forgot(&app, OWNER_EMAIL).await;
    assert_eq!(known.status.as_u16(), 200);
    assert_eq!(known.body, json!({}));
    for other in [
        "nobody@example.com",
        "pending@example.com",
        "off@example.com",
        "not an address",
        "",
    ] {
        let r = forgot(&app, other).await;
        assert_eq!((r.status, &r.body), (known.status, &known.body), "{other}");
        if other.contains('@') {
            assert!(reset_token(&app, other).is_none(), "{other} got a link");
        }
    }
    let link = app
        .link_from_mail(OWNER_EMAIL, "/reset?token=")
        .expect("a reset mail");
    assert!(
        link.starts_with("http://roster.test/reset?token="),
        "{link}"
    );
}

#[tokio::test]
async fn at_most_three_reset_mails_an_hour_and_the_answer_does_not_change() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        forgot(&app, OWNER_EMAIL).await.ok();
    }
    assert_eq!(app.mails_to(OWNER_EMAIL), 3);
}

#[tokio::test]
async fn a_reset_sets_the_password_spends_the_link_and_ends_every_session() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    let other = app.logged_in("ann@example.com", PASSWORD).await;
    forgot(&app, "ann@example.com").await.ok();
    let token = reset_token(&app, "ann@example.com").unwrap();
    let weak = app
        .call(
            "user/resetPassword",
            None,
            json!({"token": token, "password": "ann@example.com"}),
        )
        .await;
    weak.err(400, "INVALID");
    assert_eq!(weak.field(), "password");
    app.call(
        "user/resetPassword",
        None,
        json!({"token": token, "password": NEW}),
    )
    .await
    .ok();
    for who in [&ann, &other] {
        app.as_member(who, "user/info", json!({}))
            .await
            .err(401, "UNAUTHENTICATED");
        app.call("user/refresh", None, json!({"refreshToken": who.refresh}))
            .await
            .err(401, "UNAUTHENTICATED");
    }
    app.login("ann@example.com", PASSWORD)
        .await
        .err(401, "UNAUTHENTICATED");
    app.logged_in("ann@example.com", NEW).await;
    // The link worked once, and says so.
    let again = app
        .call(
            "user/resetPassword",
            None,
            json!({"token": token, "password": "yet another passphrase"}),
        )
        .await;
    again.err(400, "TOKEN_INVALID");
    let message = again.body["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("already used"), "{}", again.body);
}

#[tokio::test]
async fn an_unknown_or_expired_reset_link_says_so() {
    let app = TestApp::new().await;
    app.call(
        "user/resetPassword",
        None,
        json!({"token": "made-up", "password": NEW}),
    )
    .await
    .err(400, "TOKEN_INVALID");
    forgot(&app, OWNER_EMAIL).await.ok();
    let token = reset_token(&app, OWNER_EMAIL).unwrap();
    let hash = roster_core::crypto::sha256_hex(token.as_bytes());
    let op = Op::update(Key::new(format!("TOKEN#{hash}"), "TOKEN")).set("expires", 1_000);
    app.roster.table.transact(vec![op], "age").await.unwrap();
    app.call(
        "user/resetPassword",
        None,
        json!({"token": token, "password": NEW}),
    )
    .await
    .err(400, "TOKEN_EXPIRED");
    app.login(OWNER_EMAIL, PASSWORD).await.ok();
}

#[tokio::test]
async fn a_reset_link_is_void_once_the_password_changed_and_is_no_invite() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    forgot(&app, "ann@example.com").await.ok();
    let token = reset_token(&app, "ann@example.com").unwrap();
    // A reset link is not an invite, nor the other way round.
    app.call("user/signupInfo", None, json!({"token": token}))
        .await
        .err(400, "TOKEN_INVALID");
    app.as_member(
        &ann,
        "user/changePassword",
        json!({"currentPassword": PASSWORD, "password": "changed it myself"}),
    )
    .await
    .ok();
    app.call(
        "user/resetPassword",
        None,
        json!({"token": token, "password": NEW}),
    )
    .await
    .err(400, "TOKEN_INVALID");
    app.login("ann@example.com", "changed it myself").await.ok();
}

#[tokio::test]
async fn a_reset_clears_the_failed_login_lock() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        app.login(OWNER_EMAIL, "wrong password!").await;
    }
    app.login(OWNER_EMAIL, PASSWORD)
        .await
        .err(429, "RATE_LIMITED");
    forgot(&app, OWNER_EMAIL).await.ok();
    let token = reset_token(&app, OWNER_EMAIL).unwrap();
    app.call(
        "user/resetPassword",
        None,
        json!({"token": token, "password": NEW}),
    )
    .await
    .ok();
    app.logged_in(OWNER_EMAIL, NEW).await;
}

#[tokio::test]
async fn a_reset_that_loses_the_race_for_its_link_sets_no_password() {
    let mut app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    forgot(&app, "ann@example.com").await.ok();
    let token = reset_token(&app, "ann@example.com").unwrap();
    let table = FaultyTable::new(app.roster.table.clone());
    let counting = Counting::new(app.roster.identity.clone());
    let mut roster = app.roster.clone();
    roster.table = table.clone();
    roster.identity = counting.clone();
    app.use_roster(roster);
    // Another reset with this link finishes after this one read it but
    // before it takes the password lock.
    let hash = roster_core::crypto::sha256_hex(token.as_bytes());
    table.interleave_before_write_to(
        Key::new(format!("PWLOCK#{}", ann.id), "PWLOCK"),
        vec![Op::delete(Key::new(format!("TOKEN#{hash}"), "TOKEN"))],
    );
    app.call(
        "user/resetPassword",
        None,
        json!({"token": token, "password": NEW}),
    )
    .await
    .err(400, "TOKEN_INVALID");
    assert_eq!(counting.set.load(Ordering::SeqCst), 0);
    app.login("ann@example.com", PASSWORD).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_resets_with_one_link_set_exactly_one_password() {
    let app = std::sync::Arc::new(TestApp::new().await);
    app.member("ann@example.com", "user").await;
    forgot(&app, "ann@example.com").await.ok();
    let token = reset_token(&app, "ann@example.com").unwrap();
    one_link_sets_one_password(&app, "user/resetPassword", &token, "ann@example.com").await;
}

#[tokio::test]
async fn a_mail_outage_does_not_change_the_answer() {
    let mut app = TestApp::new().await;
    let mut roster = app.roster.clone();
    roster.mailer = std::sync::Arc::new(roster_tests::faults::DownMailer);
    app.use_roster(roster);
    for email in [OWNER_EMAIL, "nobody@example.com"] {
        let r = forgot(&app, email).await;
        assert_eq!((r.status.as_u16(), r.body), (200, json!({})), "{email}");
    }
}

#[tokio::test]
async fn a_hosted_ui_user_gets_no_reset_mail() {
    let app = TestApp::new().await;
    let invited = app.invite("ann@example.com", "user").await;
    let invite = token_of(invited["inviteUrl"].as_str().unwrap());
    let id_token = app.hosted_token("ann", "ann@example.com", true).await;
    app.hosted_login(&id_token, json!({"invite": invite}))
        .await
        .ok();
    forgot(&app, "ann@example.com").await.ok();
    assert!(reset_token(&app, "ann@example.com").is_none());
}
