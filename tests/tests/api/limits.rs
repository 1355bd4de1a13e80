//! Attempt limits: taken before the password is checked, atomic under any
//! concurrency, and never left as a counter that no longer decodes.

use std::sync::Arc;

use roster_core::crypto::sha256_hex;
use roster_core::ports::{Key, Op};
use roster_tests::app::{Backend, Options, TestApp, OWNER_EMAIL, PASSWORD};
use roster_tests::faults::FaultyTable;
use roster_tests::identity::Counting;
use roster_tests::races::all_at_once;
use serde_json::json;

fn failures_key(email: &str) -> Key {
    let hash = sha256_hex(email.as_bytes());
    Key::new(format!("LOGINFAIL#{hash}"), "LOGINFAIL")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parallel_burst_of_wrong_passwords_gets_at_most_five_checks() {
    // On the embedded store, whatever backend the suite runs on: moto undoes
    // a failed TransactWriteItems by restoring a copy of the whole table,
    // which also undoes attempts counted meanwhile (a 6th check slips
    // through), which DynamoDB never does. See `scripts/test.sh` on `races`.
    let mut app = TestApp::with(Options {
        backend: Some(Backend::Embedded),
        ..Options::default()
    })
    .await;
    let counting = Counting::new(app.roster.identity.clone());
    let mut roster = app.roster.clone();
    roster.identity = counting.clone();
    app.use_roster(roster);
    let app = Arc::new(app);
    for email in [OWNER_EMAIL, "nobody@example.com"] {
        let before = counting.checks();
        let answers = all_at_once(
            &app,
            24,
            "user/login",
            |_| json!({"email": email, "password": "wrong password!"}),
        )
        .await;
        let codes: Vec<&str> = answers.iter().map(|r| r.code()).collect();
        let refused = codes.iter().filter(|c| **c == "UNAUTHENTICATED").count();
        let limited = codes.iter().filter(|c| **c == "RATE_LIMITED").count();
        assert_eq!((refused, limited), (5, 19), "{email}: {codes:?}");
        assert_eq!(counting.checks() - before, 5, "{email}");
    }
    // A second burst checks nothing at all.
    let before = counting.checks();
    for _ in 0..6 {
        app.login(OWNER_EMAIL, PASSWORD)
            .await
            .err(429, "RATE_LIMITED");
    }
    assert_eq!(counting.checks(), before);
}

#[tokio::test]
async fn a_failure_counted_after_a_success_cleared_the_window_starts_a_whole_one() {
    let mut app = TestApp::new().await;
    let table = FaultyTable::new(app.roster.table.clone());
    let mut roster = app.roster.clone();
    roster.table = table.clone();
    app.use_roster(roster);
    app.login(OWNER_EMAIL, "wrong password!")
        .await
        .err(401, "UNAUTHENTICATED");
    // The failure's write lands just after a successful login deleted the
    // window it read: it must not leave a count without its start and expiry.
    let key = failures_key(OWNER_EMAIL);
    table.interleave_before_write_to(key.clone(), vec![Op::delete(key.clone())]);
    app.login(OWNER_EMAIL, "wrong password!")
        .await
        .err(401, "UNAUTHENTICATED");
    let item = app.roster.table.get(&key, true).await.unwrap().unwrap();
    assert_eq!(item["count"], 1, "{item:?}");
    assert!(
        item.get("since").is_some() && item.get("ttl").is_some(),
        "{item:?}"
    );
    // Logins go on working: no 500 for this e-mail, ever.
    app.login(OWNER_EMAIL, "wrong password!")
        .await
        .err(401, "UNAUTHENTICATED");
    app.login(OWNER_EMAIL, PASSWORD).await.ok();
}

#[tokio::test]
async fn a_counter_left_without_its_window_by_an_older_version_is_started_over() {
    let app = TestApp::new().await;
    let key = failures_key(OWNER_EMAIL);
    // What the old unconditional `ADD count 1` could leave behind.
    let op = Op::update(key.clone()).add("count", 1);
    app.roster.table.transact(vec![op], "legacy").await.unwrap();
    app.login(OWNER_EMAIL, "wrong password!")
        .await
        .err(401, "UNAUTHENTICATED");
    app.login(OWNER_EMAIL, PASSWORD).await.ok();
}

#[tokio::test]
async fn wrong_current_passwords_count_against_the_login_limit() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    for _ in 0..5 {
        let r = app
            .as_member(
                &ann,
                "user/changePassword",
                json!({"currentPassword": "a wrong guess", "password": "a brand new secret"}),
            )
            .await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "currentPassword");
    }
    // Even the right one waits now, and so do logins.
    app.as_member(
        &ann,
        "user/changePassword",
        json!({"currentPassword": PASSWORD, "password": "a brand new secret"}),
    )
    .await
    .err(429, "RATE_LIMITED");
    app.login("ann@example.com", PASSWORD)
        .await
        .err(429, "RATE_LIMITED");
}
