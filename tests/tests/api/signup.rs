//! The invitee's side: signupInfo, signup, and invite tokens.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use roster_core::ports::{Key, Op};
use roster_tests::app::{token_of, TestApp, PASSWORD};
use roster_tests::faults::FaultyTable;
use roster_tests::identity::Counting;
use roster_tests::races::one_link_sets_one_password;
use serde_json::{json, Value};

async fn invited(app: &TestApp, email: &str) -> (Value, String) {
    let v = app.invite(email, "user").await;
    let token = token_of(v["inviteUrl"].as_str().unwrap());
    (v, token)
}

#[tokio::test]
async fn the_invite_mail_carries_the_link_that_invite_returned() {
    let app = TestApp::new().await;
    let (v, token) = invited(&app, "ann@example.com").await;
    assert_eq!(
        v["inviteUrl"],
        format!("http://roster.test/signup?token={token}")
    );
    assert_eq!(
        app.invite_token_from_mail("ann@example.com").unwrap(),
        token
    );
    if app.backend != roster_tests::app::Backend::Embedded {
        return; // the emulator keeps only one body of a message
    }
    let mail = app.outbox().pop().unwrap();
    assert!(mail.contains("Content-Type: multipart/alternative"));
    assert!(mail.contains("text/plain"));
    assert!(mail.contains("text/html"));
    assert!(mail.contains("Subject:"));
}

#[tokio::test]
async fn signup_info_does_not_consume_the_token() {
    let app = TestApp::new().await;
    let (_, token) = invited(&app, "ann@example.com").await;
    for _ in 0..3 {
        let info = app
            .call("user/signupInfo", None, json!({"token": token}))
            .await
            .ok();
        assert_eq!(info["email"], "ann@example.com");
        assert_eq!(info["role"], "user");
        assert_eq!(info["accountName"], "Acme");
        assert!(info["expires"].as_str().unwrap().ends_with('Z'));
    }
    app.call(
        "user/signup",
        None,
        json!({"token": token, "first": "Ann", "last": "Lee", "password": PASSWORD}),
    )
    .await
    .ok();
}

#[tokio::test]
async fn signup_consumes_the_token_once() {
    let app = TestApp::new().await;
    let (_, token) = invited(&app, "ann@example.com").await;
    let body = json!({"token": token, "first": "Ann", "last": "Lee", "password": PASSWORD});
    let v = app.call("user/signup", None, body.clone()).await.ok();
    assert_eq!(v["user"]["state"], "active");
    assert_eq!(v["user"]["first"], "Ann");
    assert_eq!(v["account"]["name"], "Acme");
    app.call("user/signup", None, body)
        .await
        .err(400, "TOKEN_INVALID");
    app.call("user/signupInfo", None, json!({"token": token}))
        .await
        .err(400, "TOKEN_INVALID");
    app.logged_in("ann@example.com", PASSWORD).await;
}

#[tokio::test]
async fn resending_rotates_the_token() {
    let app = TestApp::new().await;
    let (v, old) = invited(&app, "ann@example.com").await;
    let r = app
        .as_owner("user/resendInvite", json!({"email": "ann@example.com"}))
        .await
        .ok();
    assert_eq!(r["id"], v["id"]);
    let new = token_of(r["inviteUrl"].as_str().unwrap());
    assert_ne!(new, old);
    assert_eq!(app.invite_token_from_mail("ann@example.com").unwrap(), new);
    app.call("user/signupInfo", None, json!({"token": old}))
        .await
        .err(400, "TOKEN_INVALID");
    app.call(
        "user/signup",
        None,
        json!({"token": new, "password": PASSWORD}),
    )
    .await
    .ok();
}

/// The error message of a refused call.
fn message(resp: &roster_tests::app::Resp) -> String {
    resp.body["error"]["message"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn a_used_link_says_it_was_used_and_a_replaced_one_that_it_is_not_valid() {
    let app = TestApp::new().await;
    let (v, old) = invited(&app, "ann@example.com").await;
    // Resending replaces the link: the old one is "not valid", not "used".
    let resent = app
        .as_owner("user/resendInvite", json!({"id": v["id"]}))
        .await
        .ok();
    let token = token_of(resent["inviteUrl"].as_str().unwrap());
    let replaced = app
        .call("user/signupInfo", None, json!({"token": old}))
        .await;
    replaced.err(400, "TOKEN_INVALID");
    assert!(
        message(&replaced).contains("not valid"),
        "{}",
        replaced.body
    );
    app.call(
        "user/signup",
        None,
        json!({"token": token, "first": "Ann", "last": "Lee", "password": PASSWORD}),
    )
    .await
    .ok();
    for (op, body) in [
        ("user/signupInfo", json!({"token": token})),
        ("user/signup", json!({"token": token, "password": PASSWORD})),
        ("user/login", json!({"invite": token, "password": PASSWORD})),
    ] {
        let used = app.call(op, None, body).await;
        used.err(400, "TOKEN_INVALID");
        assert!(
            message(&used).contains("already used"),
            "{op}: {}",
            used.body
        );
    }
    let unknown = app
        .call("user/signupInfo", None, json!({"token": "x".repeat(43)}))
        .await;
    unknown.err(400, "TOKEN_INVALID");
    assert!(
        !message(&unknown).contains("already used"),
        "{}",
        unknown.body
    );
}

#[tokio::test]
async fn an_expired_token_says_so() {
    let app = TestApp::new().await;
    let (_, token) = invited(&app, "ann@example.com").await;
    // Age the token in the store: expiry is checked in code, not by TTL.
    let hash = roster_core::crypto::sha256_hex(token.as_bytes());
    let op = Op::update(Key::new(format!("TOKEN#{hash}"), "TOKEN")).set("expires", 1_000);
    app.roster.table.transact(vec![op], "age").await.unwrap();
    app.call("user/signupInfo", None, json!({"token": token}))
        .await
        .err(400, "TOKEN_EXPIRED");
    app.call(
        "user/signup",
        None,
        json!({"token": token, "password": PASSWORD}),
    )
    .await
    .err(400, "TOKEN_EXPIRED");
}

#[tokio::test]
async fn a_token_stored_before_it_named_its_email_still_works() {
    let app = TestApp::new().await;
    let (_, token) = invited(&app, "ann@example.com").await;
    let hash = roster_core::crypto::sha256_hex(token.as_bytes());
    let op = Op::update(Key::new(format!("TOKEN#{hash}"), "TOKEN")).remove("email");
    app.roster.table.transact(vec![op], "legacy").await.unwrap();
    let info = app
        .call("user/signupInfo", None, json!({"token": token}))
        .await
        .ok();
    assert_eq!(info["email"], "ann@example.com");
    app.call(
        "user/signup",
        None,
        json!({"token": token, "password": PASSWORD}),
    )
    .await
    .ok();
    app.login("ann@example.com", PASSWORD).await.ok();
}

#[tokio::test]
async fn an_unknown_or_altered_token_is_invalid() {
    let app = TestApp::new().await;
    let (_, token) = invited(&app, "ann@example.com").await;
    let mut altered = token.clone();
    altered.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
    for bad in [altered.as_str(), "nope", ""] {
        app.call("user/signupInfo", None, json!({"token": bad}))
            .await
            .err(400, "TOKEN_INVALID");
    }
}

#[tokio::test]
async fn signup_enforces_the_password_rules() {
    let app = TestApp::new().await;
    let (_, token) = invited(&app, "ann.lee@example.com").await;
    for bad in [
        "short",
        "password123",
        "ann.lee@example.com",
        &"x".repeat(257),
    ] {
        let r = app
            .call(
                "user/signup",
                None,
                json!({"token": token, "password": bad}),
            )
            .await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "password", "{bad}");
    }
    // Refusals spend nothing.
    app.call(
        "user/signup",
        None,
        json!({"token": token, "password": PASSWORD}),
    )
    .await
    .ok();
}

#[tokio::test]
async fn signup_validates_names() {
    let app = TestApp::new().await;
    let (_, token) = invited(&app, "ann@example.com").await;
    let r = app
        .call(
            "user/signup",
            None,
            json!({"token": token, "first": "x".repeat(101), "password": PASSWORD}),
        )
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "first");
}

#[tokio::test]
async fn login_with_an_invite_signs_up_and_logs_in() {
    let app = TestApp::new().await;
    let (_, token) = invited(&app, "ann@example.com").await;
    let v = app
        .call(
            "user/login",
            None,
            json!({"invite": token, "password": PASSWORD, "first": "Ann"}),
        )
        .await
        .ok();
    assert_eq!(v["user"]["state"], "active");
    assert_eq!(v["user"]["first"], "Ann");
    let access = v["accessToken"].as_str().unwrap();
    app.call("user/info", Some(access), json!({})).await.ok();
    app.call(
        "user/login",
        None,
        json!({"invite": token, "password": PASSWORD}),
    )
    .await
    .err(400, "TOKEN_INVALID");
}

#[tokio::test]
async fn an_email_that_belongs_to_another_account_cannot_sign_up_twice() {
    let a = TestApp::new().await;
    a.member("ann@example.com", "user").await;
    // Another account on the same store invites the same person.
    let roster = &a.roster;
    let (owner2, _) = roster
        .create_account(
            &roster_core::domain::AccountName::parse("Other").unwrap(),
            "team",
            &roster_core::domain::Email::parse("boss@other.com").unwrap(),
            &roster_core::domain::Password::parse(
                PASSWORD,
                &roster_core::domain::Email::parse("boss@other.com").unwrap(),
            )
            .unwrap(),
            roster_core::Tx::new(),
        )
        .await
        .unwrap();
    let boss = a.logged_in("boss@other.com", PASSWORD).await;
    assert_eq!(boss.id, owner2.id.to_string());
    // The invite itself does not tell the other account anything.
    let v = a
        .as_member(
            &boss,
            "user/invite",
            json!({"email": "ann@example.com", "role": "user"}),
        )
        .await
        .ok();
    let token = token_of(v["inviteUrl"].as_str().unwrap());
    let r = a
        .call(
            "user/signup",
            None,
            json!({"token": token, "password": PASSWORD}),
        )
        .await;
    r.err(409, "CONFLICT");
}

/// Wraps the app's table and identity: a hook to interleave writes, and a
/// count of passwords set.
fn watched(app: &mut TestApp) -> (Arc<FaultyTable>, Arc<Counting>) {
    let table = FaultyTable::new(app.roster.table.clone());
    let counting = Counting::new(app.roster.identity.clone());
    let mut roster = app.roster.clone();
    roster.table = table.clone();
    roster.identity = counting.clone();
    app.use_roster(roster);
    (table, counting)
}

#[tokio::test]
async fn a_signup_that_loses_the_race_for_its_link_sets_no_password() {
    let mut app = TestApp::new().await;
    let (v, token) = invited(&app, "ann@example.com").await;
    let (table, counting) = watched(&mut app);
    // Another signup with the same link finishes after this one read the
    // link but before it takes the password lock.
    let hash = roster_core::crypto::sha256_hex(token.as_bytes());
    let lock = Key::new(format!("PWLOCK#{}", v["id"].as_str().unwrap()), "PWLOCK");
    table.interleave_before_write_to(
        lock,
        vec![Op::delete(Key::new(format!("TOKEN#{hash}"), "TOKEN"))],
    );
    app.call(
        "user/signup",
        None,
        json!({"token": token, "password": "the loser's passphrase"}),
    )
    .await
    .err(400, "TOKEN_INVALID");
    assert_eq!(counting.set.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_signups_with_one_link_leave_exactly_the_winners_password() {
    let app = Arc::new(TestApp::new().await);
    let (_, token) = invited(&app, "ann@example.com").await;
    one_link_sets_one_password(&app, "user/signup", &token, "ann@example.com").await;
}

#[tokio::test]
async fn any_password_the_policy_takes_logs_in_on_either_backend() {
    let app = TestApp::new().await;
    // 256 characters, spaces at both ends, every kind of character: what
    // roster's policy takes, whatever a user pool's own policy would say.
    let core: String = "correct horse battery staple ü "
        .chars()
        .cycle()
        .take(254)
        .collect();
    let long = format!(" {core} ");
    assert_eq!(long.chars().count(), 256);
    for (email, password) in [
        ("long@example.com", long.as_str()),
        ("short@example.com", "tenchars!!"),
    ] {
        let (_, token) = invited(&app, email).await;
        app.call(
            "user/signup",
            None,
            json!({"token": token, "password": password}),
        )
        .await
        .ok();
        app.login(email, password).await.ok();
    }
    // And one character more is refused, by roster.
    let (_, token) = invited(&app, "longer@example.com").await;
    let r = app
        .call(
            "user/signup",
            None,
            json!({"token": token, "password": format!("{long}x")}),
        )
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "password");
}
