//! Races fired at the real server over HTTP, as an attacker (or an eager
//! client) would: many requests at once, outcomes counted.

use std::path::Path;
use std::thread;

use roster_tests::app::token_of;
use roster_tests::server::Server;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_roster-server");
const OWNER: &str = "boss@example.com";
const PW: &str = "correct horse battery";

/// Servers of parallel tests could be handed the same free port (it is
/// found, released, then bound by the server): one test's burst would then
/// reach another's server. The tests of this file take turns.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn start(dir: &Path) -> Server {
    let flags = ["--owner-email", OWNER, "--owner-password", PW];
    Server::start(BIN, dir, &flags)
}

/// A server whose first account has `plan`, and its owner's access token.
fn start_with_plan(dir: &Path, plan: &str) -> (Server, String) {
    let flags = [
        "--owner-email",
        OWNER,
        "--owner-password",
        PW,
        "--plan",
        plan,
    ];
    let s = Server::start(BIN, dir, &flags);
    let (_, v) = s.post("user/login", None, &json!({"email": OWNER, "password": PW}));
    let boss = v["accessToken"].as_str().unwrap().to_string();
    (s, boss)
}

/// Sends `n` copies of one request at once; the answers' statuses and bodies.
fn burst(
    s: &Server,
    n: usize,
    path: &str,
    body: impl Fn(usize) -> Value + Sync,
) -> Vec<(u16, Value)> {
    burst_as(s, None, n, path, body)
}

/// [`burst`] with a bearer token.
fn burst_as(
    s: &Server,
    token: Option<&str>,
    n: usize,
    path: &str,
    body: impl Fn(usize) -> Value + Sync,
) -> Vec<(u16, Value)> {
    thread::scope(|scope| {
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let body = &body;
                scope.spawn(move || s.post(path, token, &body(i)))
            })
            .collect();
        tasks.into_iter().map(|t| t.join().unwrap()).collect()
    })
}

fn count(answers: &[(u16, Value)], status: u16) -> usize {
    answers.iter().filter(|(st, _)| *st == status).count()
}

#[test]
fn parallel_wrong_passwords_get_at_most_five_checks_per_email() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path());
    for email in [OWNER, "nobody@example.com"] {
        let wrong = |_| json!({"email": email, "password": "not the password"});
        let first = burst(&s, 24, "user/login", wrong);
        // Every 401 is one password checked; the rest never got that far.
        assert_eq!(
            (count(&first, 401), count(&first, 429)),
            (5, 19),
            "{email}: {first:?}"
        );
        let second = burst(&s, 24, "user/login", wrong);
        assert_eq!(count(&second, 429), 24, "{email}: {second:?}");
    }
    // The right password waits for the window to end too.
    let (st, _) = s.post("user/login", None, &json!({"email": OWNER, "password": PW}));
    assert_eq!(st, 429);
}

#[test]
fn parallel_signups_with_one_invite_leave_only_the_winners_password() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path());
    let (_, v) = s.post("user/login", None, &json!({"email": OWNER, "password": PW}));
    let boss = v["accessToken"].as_str().unwrap().to_string();
    let (st, invited) = s.post(
        "user/invite",
        Some(&boss),
        &json!({"email": "ann@example.com", "role": "user"}),
    );
    assert_eq!(st, 200, "{invited}");
    let invite = token_of(invited["inviteUrl"].as_str().unwrap());
    let password = |i: usize| format!("ann's passphrase number {i}");
    let answers = burst(
        &s,
        5,
        "user/signup",
        |i| json!({"token": invite, "password": password(i)}),
    );
    let winners: Vec<usize> = (0..5).filter(|i| answers[*i].0 == 200).collect();
    assert_eq!(winners.len(), 1, "{answers:?}");
    for (st, v) in answers.iter().filter(|(st, _)| *st != 200) {
        assert_eq!(
            (*st, v["error"]["code"].as_str()),
            (400, Some("TOKEN_INVALID"))
        );
    }
    let login = |p: String| {
        s.post(
            "user/login",
            None,
            &json!({"email": "ann@example.com", "password": p}),
        )
        .0
    };
    assert_eq!(login(password(winners[0])), 200);
    for loser in (0..5).filter(|i| *i != winners[0]) {
        assert_eq!(
            login(password(loser)),
            401,
            "loser {loser}'s password works"
        );
    }
}

#[test]
fn parallel_invites_fill_exactly_the_free_seats() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    // 3 user seats, 2 groups.
    let plan = r#"{"seats": {"admin": 1, "user": 3, "viewer": 1}, "groups": 2}"#;
    let (s, boss) = start_with_plan(dir.path(), plan);
    let answers = burst_as(
        &s,
        Some(&boss),
        24,
        "user/invite",
        |i| json!({"email": format!("u{i}@example.com"), "role": "user"}),
    );
    assert_eq!(
        (count(&answers, 200), count(&answers, 409)),
        (3, 21),
        "{answers:?}"
    );
    assert!(answers
        .iter()
        .filter(|(st, _)| *st == 409)
        .all(|(_, v)| v["error"]["code"] == "LIMIT_REACHED"));
    let (_, usage) = s.post("account/usage", Some(&boss), &json!({}));
    assert_eq!(
        usage["seats"]["user"],
        json!({"limit": 3, "used": 3, "remaining": 0})
    );
    // Groups too: 8 parallel creates into 2 free groups.
    let answers = burst_as(
        &s,
        Some(&boss),
        8,
        "group/create",
        |i| json!({"name": format!("g{i}")}),
    );
    assert_eq!(
        (count(&answers, 200), count(&answers, 409)),
        (2, 6),
        "{answers:?}"
    );
}

#[test]
fn parallel_imports_never_overfill_duplicate_or_miscount() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    // 5 user seats, 3 groups; 8 imports of the same 8 people (each in its
    // own order) into A, B and a group of its own.
    let plan = r#"{"seats": {"admin": 1, "user": 5, "viewer": 1}, "groups": 3}"#;
    let (s, boss) = start_with_plan(dir.path(), plan);
    let answers = burst_as(&s, Some(&boss), 8, "group/import", |i| {
        let rows: Vec<Value> = (0..8)
            .map(|k| {
                let person = (i + k) % 8;
                json!({"user": {"email": format!("p{person}@example.com"), "role": "user"},
                       "groups": ["A", "B", format!("own{i}")]})
            })
            .collect();
        json!({ "rows": rows })
    });
    for (status, v) in &answers {
        assert_eq!(*status, 200, "{v}");
        for r in v["results"].as_array().unwrap() {
            let ok = ["invited", "existing"].contains(&r["status"].as_str().unwrap());
            let why = r["error"]["code"].as_str().unwrap_or("");
            assert!(
                ok || ["LIMIT_REACHED", "CONFLICT", "UNAVAILABLE"].contains(&why),
                "{r}"
            );
        }
    }
    // Each person at most once, and exactly the plan's seats filled.
    let (_, page) = s.post_query("user/find", "limit=100", &boss, &json!({"details": true}));
    let users = page["data"].as_array().unwrap();
    let mut emails: Vec<&str> = users.iter().map(|u| u["email"].as_str().unwrap()).collect();
    emails.sort();
    let before = emails.len();
    emails.dedup();
    assert_eq!(emails.len(), before, "{emails:?}");
    assert_eq!(users.len(), 1 + 5, "{emails:?}");
    let (_, usage) = s.post("account/usage", Some(&boss), &json!({}));
    assert_eq!(
        usage["seats"]["user"],
        json!({"limit": 5, "used": 5, "remaining": 0})
    );
    // Groups: within the plan, each counted as many members as it lists,
    // and each user lists exactly the groups that list it.
    let (_, groups) = s.post("group/find", Some(&boss), &json!({}));
    let groups = groups["data"].as_array().unwrap();
    assert!(groups.len() <= 3);
    assert_eq!(usage["groups"]["used"], groups.len());
    let mut memberships = 0;
    for g in groups {
        let (_, members) = s.post_query(
            "group/members",
            "limit=100",
            &boss,
            &json!({"groupId": g["id"]}),
        );
        let n = members["data"].as_array().unwrap().len();
        assert_eq!(g["members"], n, "{g}");
        memberships += n;
    }
    let listed: usize = users
        .iter()
        .map(|u| u["groups"].as_array().unwrap().len())
        .sum();
    assert_eq!(listed, memberships);

    // The same pairs assigned 8 times at once: each pair once, counts right.
    let a = groups.iter().find(|g| g["name"] == "A").unwrap()["id"].clone();
    let owner_id = users.iter().find(|u| u["email"] == OWNER).unwrap()["id"].clone();
    let answers = burst_as(
        &s,
        Some(&boss),
        8,
        "group/assign",
        |_| json!({"assignments": [{"userId": owner_id, "groupId": a}]}),
    );
    let assigned: u64 = answers
        .iter()
        .filter(|(st, _)| *st == 200)
        .map(|(_, v)| v["assigned"].as_u64().unwrap())
        .sum();
    assert_eq!(assigned, 1, "{answers:?}");
    let (_, g) = s.post("group/get", Some(&boss), &json!({"id": a}));
    let (_, members) = s.post_query("group/members", "limit=100", &boss, &json!({"groupId": a}));
    assert_eq!(g["members"], members["data"].as_array().unwrap().len());
}

#[test]
fn parallel_resends_of_one_invite_mail_at_most_three_times_and_leave_one_link() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let (s, boss) = start_with_plan(dir.path(), "team");
    let pat = "pat@example.com";
    let (status, _) = s.post(
        "user/invite",
        Some(&boss),
        &json!({"email": pat, "role": "user"}),
    );
    assert_eq!(status, 200);
    let body = json!({"username": pat});
    let answers: Vec<(u16, String)> = thread::scope(|scope| {
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let (s, body) = (&s, &body);
                scope.spawn(move || {
                    s.send("POST", "api/v1/user/resend_user_email", None, Some(body))
                })
            })
            .collect();
        tasks.into_iter().map(|t| t.join().unwrap()).collect()
    });
    // Every caller is answered alike, whoever won the race.
    assert!(
        answers
            .iter()
            .all(|(st, text)| *st == 200 && text.is_empty()),
        "{answers:?}"
    );
    let links = roster_tests::mail::links_to(dir.path(), pat, "/signup?token=");
    // The invite, and at most 3 more this hour.
    assert!((2..=4).contains(&links.len()), "{} mails", links.len());
    // Whatever order the rotations and mails took, exactly one link works.
    let working = links
        .iter()
        .filter(|l| {
            let (st, _) = s.post("user/signupInfo", None, &json!({"token": token_of(l)}));
            st == 200
        })
        .count();
    assert_eq!(working, 1);
}
