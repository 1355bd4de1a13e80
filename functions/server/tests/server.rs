//! The real `roster-server` over HTTP: the whole invite story read from the
//! outbox, and restarts (clean and `kill -9`) that lose nothing.

use std::path::Path;

use roster_tests::app::token_of;
use roster_tests::server::Server;
use serde_json::{json, Value};

/// This package's binary, built by cargo for this test run.
const BIN: &str = env!("CARGO_BIN_EXE_roster-server");

fn start(dir: &Path, args: &[&str]) -> Server {
    Server::start(BIN, dir, args)
}

const OWNER: &str = "boss@example.com";
const PW: &str = "correct horse battery";

fn owner_flags() -> Vec<&'static str> {
    vec![
        "--owner-email",
        OWNER,
        "--owner-password",
        PW,
        "--account-name",
        "Story Inc",
    ]
}

fn login(s: &Server, email: &str, password: &str) -> Value {
    let (status, v) = s.post(
        "user/login",
        None,
        &json!({"email": email, "password": password}),
    );
    assert_eq!(status, 200, "{v}");
    v
}

fn token(v: &Value) -> String {
    v["accessToken"].as_str().unwrap().to_string()
}

#[test]
fn the_invite_story_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &owner_flags());
    let boss = token(&login(&s, OWNER, PW));

    // invite → the link arrives in the outbox
    let (st, v) = s.post(
        "user/invite",
        Some(&boss),
        &json!({"email": "ann@example.com", "role": "user", "first": "Ann"}),
    );
    assert_eq!(st, 200, "{v}");
    let link = s.invite_link("ann@example.com").expect("an invite mail");
    assert!(link.starts_with("http://roster.test/signup?token="));
    assert_eq!(link, v["inviteUrl"].as_str().unwrap());
    let invite = token_of(&link);

    // signupInfo → signup → login
    let (st, info) = s.post("user/signupInfo", None, &json!({"token": invite}));
    assert_eq!((st, info["accountName"].as_str()), (200, Some("Story Inc")));
    let (st, v) = s.post(
        "user/signup",
        None,
        &json!({"token": invite, "first": "Ann", "last": "Lee", "password": "ann's long password"}),
    );
    assert_eq!(st, 200, "{v}");
    let ann = token(&login(&s, "ann@example.com", "ann's long password"));

    // find sees both
    let (st, page) = s.post_query("user/find", "limit=10", &ann, &json!({}));
    assert_eq!(st, 200);
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let ann_id = page["data"][1]["id"].as_str().unwrap().to_string();

    // updateRole → ann administers at once
    let (st, v) = s.post(
        "user/invite",
        Some(&ann),
        &json!({"email": "x@example.com", "role": "user"}),
    );
    assert_eq!((st, v["error"]["code"].as_str()), (403, Some("FORBIDDEN")));
    let (st, _) = s.post(
        "user/updateRole",
        Some(&boss),
        &json!({"id": ann_id, "role": "admin"}),
    );
    assert_eq!(st, 200);
    let (st, _) = s.post(
        "user/invite",
        Some(&ann),
        &json!({"email": "x@example.com", "role": "user"}),
    );
    assert_eq!(st, 200);

    // remove → ann is out on her next request
    let (st, _) = s.post("user/remove", Some(&boss), &json!({"id": ann_id}));
    assert_eq!(st, 200);
    let (st, v) = s.post("user/info", Some(&ann), &json!({}));
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (401, Some("UNAUTHENTICATED"))
    );

    let status = s.stop();
    assert!(
        status.success(),
        "SIGTERM should stop the server cleanly: {status}"
    );
}

#[test]
fn a_restart_on_the_same_data_folder_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &owner_flags());
    let first = login(&s, OWNER, PW);
    let boss = token(&first);
    for i in 0..3 {
        let (st, _) = s.post(
            "user/invite",
            Some(&boss),
            &json!({"email": format!("u{i}@example.com"), "role": "viewer"}),
        );
        assert_eq!(st, 200);
    }
    let (_, page1) = s.post_query("user/find", "limit=2", &boss, &json!({}));
    let next = page1["next"].as_str().unwrap().to_string();
    assert!(s.stop().success());

    // Without the owner flags this time: the store is already set up.
    let s = start(dir.path(), &[]);
    // The signing key survived: the old access token, refresh token and cursor still work.
    let (st, info) = s.post("user/info", Some(&boss), &json!({}));
    assert_eq!((st, info["accountName"].as_str()), (200, Some("Story Inc")));
    let (st, page2) = s.post_query(
        "user/find",
        &format!("limit=2&next={next}"),
        &boss,
        &json!({}),
    );
    assert_eq!(st, 200, "{page2}");
    let emails: Vec<_> = page2["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].clone())
        .collect();
    assert_eq!(emails, [json!("u1@example.com"), json!("u2@example.com")]);
    let (st, _) = s.post(
        "user/refresh",
        None,
        &json!({"refreshToken": first["refreshToken"]}),
    );
    assert_eq!(st, 200);
    login(&s, OWNER, PW);
    // Starting again with the owner flags changes nothing.
    assert!(s.stop().success());
    let s = start(dir.path(), &owner_flags());
    let (_, page) = s.post_query("user/find", "limit=100", &boss, &json!({}));
    assert_eq!(page["data"].as_array().unwrap().len(), 4);
}

#[test]
fn a_write_that_returned_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &owner_flags());
    let boss = token(&login(&s, OWNER, PW));
    let (st, v) = s.post(
        "user/invite",
        Some(&boss),
        &json!({"email": "ann@example.com", "role": "user"}),
    );
    assert_eq!(st, 200);
    let invite = token_of(v["inviteUrl"].as_str().unwrap());
    s.kill();

    let s = start(dir.path(), &[]);
    let (st, info) = s.post("user/signupInfo", None, &json!({"token": invite}));
    assert_eq!(st, 200, "{info}");
    assert_eq!(info["email"], "ann@example.com");
}

#[test]
fn an_empty_store_without_owner_flags_still_serves() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &[]);
    let (st, v) = s.post("user/login", None, &json!({"email": OWNER, "password": PW}));
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (401, Some("UNAUTHENTICATED"))
    );
}

#[test]
fn a_weak_owner_password_stops_the_server_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(BIN)
        .args(["--data-dir"])
        .arg(dir.path())
        .args([
            "--listen",
            "127.0.0.1:0",
            "--owner-email",
            OWNER,
            "--owner-password",
            "short",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("password"), "{text}");
}

#[test]
fn an_invitee_signs_up_through_the_hosted_ui() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &owner_flags());
    let boss = token(&login(&s, OWNER, PW));
    let (st, invited) = s.post(
        "user/invite",
        Some(&boss),
        &json!({"email": "ann@example.com", "role": "user"}),
    );
    assert_eq!(st, 200, "{invited}");
    let invite = token_of(invited["inviteUrl"].as_str().unwrap());
    let Some(id_token) = s.hosted_token("ann", "ann@example.com") else {
        // Embedded: no user pool, so no hosted-UI token is accepted.
        let (st, v) = s.post("user/login", Some("a.b.c"), &json!({"invite": invite}));
        assert_eq!(st, 401, "{v}");
        return;
    };
    // The server checks the pool's token against the JWKS it found by itself
    // (the emulator's, next to AWS_ENDPOINT_URL) and links the identity.
    let (st, v) = s.post("user/login", Some(&id_token), &json!({"invite": invite}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["user"]["id"], invited["id"]);
    assert_eq!(v["user"]["state"], "active");
    let (st, again) = s.post("user/login", Some(&id_token), &json!({}));
    assert_eq!(st, 200, "{again}");
    assert_eq!(again["user"]["id"], invited["id"]);
}

#[test]
fn invite_links_last_as_long_as_invite_ttl_says() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = owner_flags();
    args.extend(["--invite-ttl", "1s"]);
    let s = start(dir.path(), &args);
    let owner = token(&login(&s, OWNER, PW));
    let (status, v) = s.post(
        "user/invite",
        Some(&owner),
        &json!({"email": "late@example.com", "role": "user"}),
    );
    assert_eq!(status, 200, "{v}");
    let link = v["inviteUrl"].as_str().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1_500));
    let (status, v) = s.post("user/signupInfo", None, &json!({"token": token_of(link)}));
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (400, Some("TOKEN_EXPIRED")),
        "{v}"
    );
}

/// Starting with `flag value` stops the server, with a message naming the flag.
fn assert_refused(flag: &str, value: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", flag, value, "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success(), "{flag} {value}");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains(flag), "{flag} {value}: {text}");
}

#[test]
fn a_malformed_invite_ttl_stops_the_server_with_a_message() {
    for bad in ["7", "0s", "31d", "1w"] {
        assert_refused("--invite-ttl", bad);
    }
}

#[test]
fn a_bad_registration_plan_stops_the_server_with_a_message() {
    for bad in [
        "gold",
        "{\"seats\": {\"admin\": 0, \"user\": 1, \"viewer\": 1}, \"groups\": 1}",
        "{\"seats\": {\"admin\": 1, \"user\": 1, \"viewer\": 1}, \"groups\": 1, \"features\": {\"n\": 9007199254740992}}",
    ] {
        assert_refused("--registration-plan", bad);
    }
}

#[test]
fn print_routes_prints_the_committed_manifest() {
    let out = std::process::Command::new(BIN)
        .arg("--print-routes")
        .output()
        .unwrap();
    assert!(out.status.success());
    let committed = include_str!("../../../infra/routes.json");
    assert_eq!(String::from_utf8_lossy(&out.stdout), committed);
}

#[test]
fn print_openapi_prints_what_the_server_serves() {
    let out = std::process::Command::new(BIN)
        .arg("--print-openapi")
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &[]);
    let (status, served) = s.send("GET", "openapi.json", None, None);
    assert_eq!(status, 200);
    assert_eq!(printed, serde_json::from_str::<Value>(&served).unwrap());
    assert_eq!(printed["openapi"], "3.1.0");
    // And the page that presents it to a person.
    let (status, page) = s.send("GET", "docs", None, None);
    assert_eq!(status, 200);
    assert!(page.contains("/assets/docs."), "{page}");
}
