//! SCIM requests fired at the real server at once, as an identity provider
//! retrying eagerly (or an attacker) would: every write that rests on what
//! it read holds under a condition.

use std::path::Path;
use std::thread;

use roster_tests::server::Server;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_roster-server");
const OWNER: &str = "boss@example.com";
const PW: &str = "correct horse battery";

/// The tests of this file take turns (see races.rs: ports found free may be
/// handed to two servers).
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn start(dir: &Path) -> (Server, String) {
    let flags = [
        "--owner-email",
        OWNER,
        "--owner-password",
        PW,
        "--plan",
        "business",
    ];
    let s = Server::start(BIN, dir, &flags);
    let (_, v) = s.post("user/login", None, &json!({"email": OWNER, "password": PW}));
    let boss = v["accessToken"].as_str().unwrap().to_string();
    (s, boss)
}

fn scim_token(s: &Server, boss: &str) -> String {
    let (status, v) = s.post(
        "account/scimTokenCreate",
        Some(boss),
        &json!({"name": "Okta"}),
    );
    assert_eq!(status, 200, "{v}");
    v["secret"].as_str().unwrap().to_string()
}

/// `n` SCIM requests at once; statuses and bodies.
fn burst(
    s: &Server,
    token: &str,
    n: usize,
    method: &str,
    path: &str,
    body: impl Fn(usize) -> Value + Sync,
) -> Vec<(u16, Value)> {
    thread::scope(|scope| {
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let body = &body;
                scope.spawn(move || {
                    let b = body(i);
                    let (status, text) =
                        s.send(method, &format!("scim/v2{path}"), Some(token), Some(&b));
                    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
                })
            })
            .collect();
        tasks.into_iter().map(|t| t.join().unwrap()).collect()
    })
}

fn count(answers: &[(u16, Value)], status: u16) -> usize {
    answers.iter().filter(|(s, _)| *s == status).count()
}

#[test]
fn parallel_creates_of_one_user_name_make_one_user() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let (s, boss) = start(dir.path());
    let token = scim_token(&s, &boss);
    // An address (the e-mail's claims) and a name that is none (its own claim).
    for (name, email) in [
        ("ivy@example.com", "ivy@example.com"),
        ("ivy-ng", "ivy.ng@example.com"),
    ] {
        let answers = burst(
            &s,
            &token,
            8,
            "POST",
            "/Users",
            |i| json!({"userName": name, "emails": [{"value": email}], "externalId": format!("x{i}")}),
        );
        assert_eq!(count(&answers, 201), 1, "{answers:?}");
        assert_eq!(count(&answers, 409), 7, "{answers:?}");
    }
    let (_, usage) = s.post("account/usage", Some(&boss), &json!({}));
    assert_eq!(usage["seats"]["user"]["used"], 2, "{usage}");
}

#[test]
fn parallel_patches_of_one_user_all_land() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let (s, boss) = start(dir.path());
    let token = scim_token(&s, &boss);
    let (status, text) = s.send(
        "POST",
        "scim/v2/Users",
        Some(&token),
        Some(
            &json!({"userName": "ivy@example.com", "name": {"givenName": "I", "familyName": "N"}}),
        ),
    );
    assert_eq!(status, 201, "{text}");
    let id = serde_json::from_str::<Value>(&text).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Each PATCH changes its own attribute, read from the user as it stands:
    // none may undo another.
    let fields = ["name.givenName", "name.familyName", "externalId", "roles"];
    let answers = burst(&s, &token, 4, "PATCH", &format!("/Users/{id}"), |i| {
        let value = match i {
            3 => json!([{"value": "viewer"}]),
            _ => json!(format!("v{i}")),
        };
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": fields[i], "value": value}],
        })
    });
    assert_eq!(count(&answers, 200), 4, "{answers:?}");
    let (_, text) = s.send("GET", &format!("scim/v2/Users/{id}"), Some(&token), None);
    let u: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        u["name"],
        json!({"givenName": "v0", "familyName": "v1"}),
        "{u}"
    );
    assert_eq!(u["externalId"], "v2", "{u}");
    assert_eq!(u["roles"][0]["value"], "viewer", "{u}");
}

#[test]
fn parallel_token_creates_stop_at_ten() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let (s, boss) = start(dir.path());
    let answers: Vec<(u16, Value)> = thread::scope(|scope| {
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let (s, boss) = (&s, &boss);
                scope.spawn(move || {
                    s.post(
                        "account/scimTokenCreate",
                        Some(boss),
                        &json!({"name": format!("t{i}")}),
                    )
                })
            })
            .collect();
        tasks.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(count(&answers, 200), 10, "{answers:?}");
    assert_eq!(count(&answers, 409), 6, "{answers:?}");
    let (_, list) = s.post("account/scimTokens", Some(&boss), &json!({}));
    assert_eq!(list["tokens"].as_array().unwrap().len(), 10);
}

#[test]
fn parallel_member_adds_to_one_group_all_land() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let (s, boss) = start(dir.path());
    let token = scim_token(&s, &boss);
    let mut ids = Vec::new();
    for i in 0..6 {
        let (status, text) = s.send(
            "POST",
            "scim/v2/Users",
            Some(&token),
            Some(&json!({"userName": format!("m{i}@example.com")})),
        );
        assert_eq!(status, 201, "{text}");
        ids.push(
            serde_json::from_str::<Value>(&text).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let (status, text) = s.send(
        "POST",
        "scim/v2/Groups",
        Some(&token),
        Some(&json!({"displayName": "Eng"})),
    );
    assert_eq!(status, 201, "{text}");
    let gid = serde_json::from_str::<Value>(&text).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let answers = burst(&s, &token, 6, "PATCH", &format!("/Groups/{gid}"), |i| {
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": ids[i]}]}],
        })
    });
    assert_eq!(count(&answers, 204), 6, "{answers:?}");
    let (_, group) = s.post("group/get", Some(&boss), &json!({"id": gid}));
    assert_eq!(group["members"], 6, "{group}");
}
