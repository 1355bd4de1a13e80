//! `group/import`: rows of people and their groups, a result per row; new
//! people invited, members reused, missing groups created, memberships made;
//! transactions of at most 100 actions; the same import twice changes
//! nothing; bad rows fail alone with the codes single calls give.

use std::sync::Arc;

use roster_core::ports::{Op, TableError};
use roster_core::repo::keys;
use roster_tests::app::{other_account, Options, TestApp, PASSWORD};
use roster_tests::faults::{DownMailer, FaultyTable};
use serde_json::{json, Value};

fn row(email: &str, role: &str, groups: &[&str]) -> Value {
    json!({"user": {"email": email, "role": role}, "groups": groups})
}

async fn import(app: &TestApp, rows: Vec<Value>) -> Vec<Value> {
    let v = app
        .as_owner("group/import", json!({ "rows": rows }))
        .await
        .ok();
    v["results"].as_array().unwrap().clone()
}

fn statuses(results: &[Value]) -> Vec<&str> {
    results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect()
}

/// Group name → member e-mails, and every user's e-mail → group names.
async fn snapshot(app: &TestApp) -> (Value, Value, Value) {
    let groups = app.as_owner("group/find", json!({})).await.ok()["data"].clone();
    let users = app
        .as_owner("user/find", json!({"details": true}))
        .await
        .ok()["data"]
        .clone();
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    (groups, users, usage)
}

async fn audit_actions(app: &TestApp, action: &str) -> Vec<Value> {
    let v = app
        .as_owner("account/audit", json!({ "action": action }))
        .await
        .ok();
    v["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn new_people_are_invited_members_reused_and_groups_made() {
    let app = TestApp::new().await;
    let bob = app.member("bob@example.com", "user").await;
    let eng = app
        .as_owner("group/create", json!({"name": "Eng"}))
        .await
        .ok();
    let results = import(
        &app,
        vec![
            json!({"user": {"email": " Ann@Example.com ", "first": "Ann", "last": "Lee",
                            "role": "viewer"}, "groups": ["eng", "Design", "DESIGN"]}),
            row("bob@example.com", "admin", &["Design"]),
            row("cy@example.com", "user", &[]),
        ],
    )
    .await;
    assert_eq!(statuses(&results), ["invited", "existing", "invited"]);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["row"], i);
        assert!(r["userId"].is_string() && r.get("error").is_none(), "{r}");
    }
    assert_eq!(results[0]["email"], "ann@example.com");
    assert_eq!(results[1]["userId"], bob.id.as_str());

    // The new ones are pending with the row's role and names; the member
    // kept its role.
    let ann = app
        .as_owner("user/get", json!({"id": results[0]["userId"]}))
        .await
        .ok();
    assert_eq!(
        (&ann["state"], &ann["role"], &ann["first"], &ann["last"]),
        (
            &json!("pending"),
            &json!("viewer"),
            &json!("Ann"),
            &json!("Lee")
        )
    );
    let b = app.as_owner("user/get", json!({"id": bob.id})).await.ok();
    assert_eq!(b["role"], "user");

    // "Design" was made once, with the first spelling; "eng" is Eng.
    let groups = app.as_owner("group/find", json!({})).await.ok()["data"].clone();
    let names: Vec<&str> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Design", "Eng"]);
    assert_eq!(groups[0]["members"], 2);
    assert_eq!(groups[1]["members"], 1);
    let members = app
        .as_owner("group/members", json!({"groupId": groups[0]["id"]}))
        .await
        .ok();
    let emails: Vec<&str> = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["ann@example.com", "bob@example.com"]);
    let of_ann = app
        .as_owner("group/ofUser", json!({"userId": results[0]["userId"]}))
        .await
        .ok();
    assert_eq!(of_ann["data"].as_array().unwrap().len(), 2);
    assert_eq!(eng["id"], groups[1]["id"]);

    // Seats and groups moved with it.
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["seats"]["viewer"]["used"], 1);
    assert_eq!(usage["seats"]["user"]["used"], 2);
    assert_eq!(usage["groups"]["used"], 2);

    // Each invitee got its mail, and its link signs it up.
    assert_eq!(app.mails_to("bob@example.com"), 1);
    let token = app.invite_token_from_mail("ann@example.com").unwrap();
    app.call(
        "user/signup",
        None,
        json!({"token": token, "first": "Ann", "last": "Lee", "password": PASSWORD}),
    )
    .await
    .ok();
    app.logged_in("ann@example.com", PASSWORD).await;
    assert!(app.invite_token_from_mail("cy@example.com").is_some());
}

#[tokio::test]
async fn the_same_import_twice_changes_nothing_the_second_time() {
    let app = TestApp::new().await;
    app.member("bob@example.com", "user").await;
    let rows = vec![
        row("ann@example.com", "user", &["Eng", "Ops"]),
        row("bob@example.com", "user", &["Eng"]),
        row("not-an-email", "user", &["Eng"]),
    ];
    let first = import(&app, rows.clone()).await;
    assert_eq!(statuses(&first), ["invited", "existing", "failed"]);
    let before = snapshot(&app).await;
    let logged = audit_actions(&app, "group/import").await.len();
    let mails = app.mails_to("ann@example.com");

    let second = import(&app, rows).await;
    assert_eq!(statuses(&second), ["existing", "existing", "failed"]);
    // The same users, no new mail, no new entry, nothing moved.
    assert_eq!(second[0]["userId"], first[0]["userId"]);
    assert_eq!(second[1]["userId"], first[1]["userId"]);
    assert_eq!(snapshot(&app).await, before);
    assert_eq!(audit_actions(&app, "group/import").await.len(), logged);
    assert_eq!(app.mails_to("ann@example.com"), mails);
}

#[tokio::test]
async fn bad_rows_fail_alone_with_the_codes_of_single_calls() {
    let plan = r#"{"seats": {"admin": 5, "user": 2, "viewer": 5}, "groups": 2}"#;
    let app = TestApp::with(Options {
        plan,
        ..Options::default()
    })
    .await;
    let long = "x".repeat(101);
    let results = import(
        &app,
        vec![
            row("ok1@example.com", "user", &["A"]),
            row("not-an-email", "user", &[]),
            row("role@example.com", "boss", &[]),
            row("owner@example.org", "owner", &[]),
            json!({"user": {"email": "shape@example.com", "role": "user", "age": 3}}),
            json!("a string, not a row"),
            row("long@example.com", "user", &[long.as_str()]),
            row("OK1@example.com", "viewer", &[]),
            row("ok2@example.com", "user", &["B"]),
            // The plan's two user seats are gone (ok1, ok2)…
            row("full@example.com", "user", &[]),
            // … and its two groups (A, B), so C cannot be made: the whole
            // row fails, its user too.
            row("nogroup@example.com", "viewer", &["C"]),
            row("ok3@example.com", "viewer", &["a", "b"]),
        ],
    )
    .await;
    assert_eq!(
        statuses(&results),
        [
            "invited", "failed", "failed", "failed", "failed", "failed", "failed", "failed",
            "invited", "failed", "failed", "invited"
        ]
    );
    let code = |i: usize| {
        let e = &results[i]["error"];
        (
            e["code"].as_str().unwrap().to_string(),
            e["field"].as_str().unwrap_or("").to_string(),
        )
    };
    assert_eq!(code(1), ("INVALID".into(), "email".into()));
    assert_eq!(code(2), ("INVALID".into(), "role".into()));
    assert_eq!(code(3).0, "FORBIDDEN");
    assert_eq!(code(4).0, "BAD_REQUEST");
    assert_eq!(code(5).0, "BAD_REQUEST");
    assert_eq!(code(6), ("INVALID".into(), "groups".into()));
    assert_eq!(code(7), ("INVALID".into(), "email".into()));
    assert_eq!(code(9).0, "LIMIT_REACHED");
    assert_eq!(code(10).0, "LIMIT_REACHED");
    for i in [1, 2, 3, 4, 5, 6, 7, 9, 10] {
        assert!(results[i].get("userId").is_none(), "{}", results[i]);
        assert!(results[i]["error"]["message"].is_string());
    }
    assert_eq!(results[5]["email"], "");
    assert_eq!(results[1]["email"], "not-an-email");
    // What failed left nothing behind.
    for email in [
        "full@example.com",
        "nogroup@example.com",
        "shape@example.com",
    ] {
        app.as_owner("user/get", json!({ "email": email }))
            .await
            .err(404, "NOT_FOUND");
        assert_eq!(app.mails_to(email), 0);
    }
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["seats"]["user"]["used"], 2);
    assert_eq!(usage["seats"]["viewer"]["used"], 1);
    assert_eq!(usage["groups"]["used"], 2);
}

#[tokio::test]
async fn an_import_too_big_for_one_transaction_is_chunked() {
    let plan = r#"{"seats": {"admin": 5, "user": 200, "viewer": 5}, "groups": 10}"#;
    let app = TestApp::with(Options {
        plan,
        ..Options::default()
    })
    .await;
    // 60 new people in two groups each: 60 × 5 actions, so at least four
    // transactions of at most 100.
    let rows: Vec<Value> = (0..60)
        .map(|i| row(&format!("p{i:02}@example.com"), "user", &["Eng", "All"]))
        .collect();
    let results = import(&app, rows.clone()).await;
    assert!(statuses(&results).iter().all(|s| *s == "invited"));
    let chunks = audit_actions(&app, "group/import").await;
    assert!(chunks.len() >= 4, "{} transactions", chunks.len());
    // Every row is in exactly one chunk's entry.
    let mut logged: Vec<u64> = chunks
        .iter()
        .flat_map(|e| e["detail"]["rows"].as_array().unwrap().clone())
        .map(|r| r["row"].as_u64().unwrap())
        .collect();
    logged.sort();
    assert_eq!(logged, (0..60).collect::<Vec<u64>>());
    let groups = app.as_owner("group/find", json!({})).await.ok()["data"].clone();
    assert_eq!(groups[0]["members"], 60);
    assert_eq!(groups[1]["members"], 60);
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["seats"]["user"]["used"], 60);
    assert_eq!(usage["groups"]["used"], 2);
    let body = serde_json::to_vec(&json!({"details": true})).unwrap();
    let page = app
        .raw("user/find", "limit=100", Some(&app.owner.token), body)
        .await
        .ok();
    let invited = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["groups"].as_array().unwrap().len() == 2)
        .count();
    assert_eq!(invited, 60);
}

#[tokio::test]
async fn limits_on_the_call_itself() {
    let app = TestApp::new().await;
    // At most 200 rows.
    let rows: Vec<Value> = (0..201)
        .map(|i| row(&format!("p{i}@example.com"), "user", &[]))
        .collect();
    let r = app.as_owner("group/import", json!({ "rows": rows })).await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "rows");
    // Not a list of rows at all.
    app.as_owner("group/import", json!({"rows": {}}))
        .await
        .err(400, "BAD_REQUEST");
    app.as_owner("group/import", json!({"rows": [], "dryRun": true}))
        .await
        .err(400, "BAD_REQUEST");
    // No rows: nothing to do.
    assert!(import(&app, vec![]).await.is_empty());

    // Up to 1 MiB for this operation (others stop at 64 KiB)…
    let padding = "x".repeat(100);
    let rows: Vec<Value> = (0..200)
        .map(|i| {
            json!({"user": {"email": format!("q{i}@example.com"), "role": "nobody",
                            "first": padding, "last": padding},
                   "groups": vec![padding.clone(); 30]})
        })
        .collect();
    let body = serde_json::to_vec(&json!({ "rows": rows })).unwrap();
    assert!(body.len() > 64 * 1024 && body.len() < 1024 * 1024);
    let r = app
        .raw("group/import", "", Some(&app.owner.token), body.clone())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    app.raw("user/invite", "", Some(&app.owner.token), body)
        .await
        .err(413, "TOO_LARGE");
    // … and not a byte more.
    let mut huge = br#"{"rows": [], "pad": ""#.to_vec();
    huge.extend(vec![b'x'; 1024 * 1024]);
    huge.extend(br#""}"#);
    app.raw("group/import", "", Some(&app.owner.token), huge)
        .await
        .err(413, "TOO_LARGE");
}

#[tokio::test]
async fn only_admins_import() {
    let app = TestApp::new().await;
    let user = app.member("bob@example.com", "user").await;
    let body = json!({"rows": [row("ann@example.com", "user", &["Eng"])]});
    app.as_member(&user, "group/import", body.clone())
        .await
        .err(403, "FORBIDDEN");
    app.call("group/import", None, body)
        .await
        .err(401, "UNAUTHENTICATED");
    app.as_owner("user/get", json!({"email": "ann@example.com"}))
        .await
        .err(404, "NOT_FOUND");
    // An admin may, but not grant more than its own role.
    let admin = app.member("ada@example.com", "admin").await;
    let v = app
        .as_member(
            &admin,
            "group/import",
            json!({"rows": [row("cy@example.com", "admin", &[]), row("dee@example.com", "owner", &[])]}),
        )
        .await
        .ok();
    assert_eq!(v["results"][0]["status"], "invited");
    assert_eq!(v["results"][1]["error"]["code"], "FORBIDDEN");
}

#[tokio::test]
async fn another_accounts_people_and_groups_stay_out_of_it() {
    let app = TestApp::new().await;
    let boss = other_account(&app).await;
    app.as_member(&boss, "group/create", json!({"name": "Eng"}))
        .await
        .ok();
    // boss@other.com is someone else's member: the answer looks like any
    // new person's, and no group of the other account is touched.
    let results = import(
        &app,
        vec![
            row("boss@other.com", "user", &["Eng"]),
            row("new@example.com", "user", &["Eng"]),
        ],
    )
    .await;
    assert_eq!(statuses(&results), ["invited", "invited"]);
    let keys = |r: &Value| {
        let mut k: Vec<String> = r.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&results[0]), keys(&results[1]));
    let theirs = app.as_member(&boss, "group/find", json!({})).await.ok();
    assert_eq!(theirs["data"][0]["members"], 0);
    let ours = app.as_owner("group/find", json!({})).await.ok();
    assert_eq!(ours["data"][0]["members"], 2);
    assert_ne!(ours["data"][0]["id"], theirs["data"][0]["id"]);
}

#[tokio::test]
async fn an_unsent_mail_is_reported_and_can_be_resent() {
    let mut app = TestApp::new().await;
    let working = app.roster.clone();
    let mut down = working.clone();
    down.mailer = Arc::new(DownMailer);
    app.use_roster(down);
    let results = import(&app, vec![row("ann@example.com", "user", &["Eng"])]).await;
    assert_eq!(results[0]["status"], "invited");
    assert_eq!(results[0]["error"]["code"], "UNAVAILABLE");
    assert!(!results[0].to_string().contains("smtp"));
    let id = results[0]["userId"].clone();
    app.use_roster(working);
    app.as_owner("user/resendInvite", json!({ "id": id }))
        .await
        .ok();
    assert!(app.invite_token_from_mail("ann@example.com").is_some());
    // The invite stands: importing again finds the person.
    let again = import(&app, vec![row("ann@example.com", "user", &["Eng"])]).await;
    assert_eq!(again[0]["status"], "existing");
}

#[tokio::test]
async fn a_seat_taken_meanwhile_is_planned_again_not_overfilled() {
    let plan = r#"{"seats": {"admin": 5, "user": 2, "viewer": 5}, "groups": 5}"#;
    let mut app = TestApp::with(Options {
        plan,
        ..Options::default()
    })
    .await;
    let table = FaultyTable::new(app.roster.table.clone());
    let mut roster = app.roster.clone();
    roster.table = table.clone();
    app.use_roster(roster);
    // Right before the import writes, another request takes a user seat.
    let aid = app.as_owner("account/get", json!({})).await.ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let aid = roster_core::domain::AccountId::parse(&aid).unwrap();
    let account = keys::account(aid);
    table.interleave_before_write_to(
        account.clone(),
        vec![Op::update(account).add("seatsUser", -1)],
    );
    let results = import(
        &app,
        vec![
            row("a@example.com", "user", &["Eng"]),
            row("b@example.com", "user", &["Eng"]),
        ],
    )
    .await;
    assert_eq!(statuses(&results), ["invited", "failed"]);
    assert_eq!(results[1]["error"]["code"], "LIMIT_REACHED");
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["seats"]["user"]["remaining"], 0);
    let groups = app.as_owner("group/find", json!({})).await.ok();
    assert_eq!(groups["data"][0]["members"], 1);
}

#[tokio::test]
async fn imports_are_audited_without_secrets() {
    let app = TestApp::new().await;
    let results = import(&app, vec![row("ann@example.com", "user", &["Eng"])]).await;
    let entries = audit_actions(&app, "group/import").await;
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e["actor"]["email"], app.owner.email.as_str());
    assert_eq!(e["target"]["kind"], "account");
    assert_eq!(e["detail"]["rows"][0]["email"], "ann@example.com");
    assert_eq!(e["detail"]["rows"][0]["userId"], results[0]["userId"]);
    assert_eq!(e["detail"]["rows"][0]["groups"], json!(["Eng"]));
    assert_eq!(e["detail"]["created"], json!(["Eng"]));
    let token = app.invite_token_from_mail("ann@example.com").unwrap();
    assert!(!e.to_string().contains(&token));
}

#[tokio::test]
async fn rows_in_thirty_new_groups_each_still_fit_their_transactions() {
    let plan = r#"{"seats": {"admin": 5, "user": 50, "viewer": 5}, "groups": 40}"#;
    let app = TestApp::with(Options {
        plan,
        ..Options::default()
    })
    .await;
    let names: Vec<String> = (0..30).map(|g| format!("G{g:02}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let rows: Vec<Value> = (0..10)
        .map(|i| row(&format!("p{i}@example.com"), "user", &names))
        .collect();
    let results = import(&app, rows).await;
    assert!(
        statuses(&results).iter().all(|s| *s == "invited"),
        "{results:?}"
    );
    let groups = app
        .raw(
            "group/find",
            "limit=50",
            Some(&app.owner.token),
            b"{}".to_vec(),
        )
        .await
        .ok()["data"]
        .clone();
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), 30);
    assert!(groups.iter().all(|g| g["members"] == 10));
    // 31 groups in one row is one too many.
    let mut more = names.clone();
    more.push("G30");
    let r = import(&app, vec![row("q@example.com", "user", &more)]).await;
    assert_eq!(r[0]["error"]["field"], "groups");
}

/// The app on a table that fails on command.
fn faulty(app: &mut TestApp) -> Arc<FaultyTable> {
    let table = FaultyTable::new(app.roster.table.clone());
    let mut roster = app.roster.clone();
    roster.table = table.clone();
    app.use_roster(roster);
    table
}

async fn account_id(app: &TestApp) -> roster_core::domain::AccountId {
    let v = app.as_owner("account/get", json!({})).await.ok();
    roster_core::domain::AccountId::parse(v["id"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn a_store_failure_half_way_keeps_what_was_written_and_mails_it() {
    let plan = r#"{"seats": {"admin": 5, "user": 200, "viewer": 5}, "groups": 10}"#;
    let mut app = TestApp::with(Options {
        plan,
        ..Options::default()
    })
    .await;
    let table = faulty(&mut app);
    // 40 new people in 2 groups: two transactions at least. The second fails.
    let rows: Vec<Value> = (0..40)
        .map(|i| row(&format!("p{i:02}@example.com"), "user", &["Eng", "All"]))
        .collect();
    table.fail_write_after(1, TableError::Unavailable("throttled".into()));
    let v = app
        .as_owner("group/import", json!({ "rows": rows.clone() }))
        .await
        .ok();
    let results = v["results"].as_array().unwrap();
    let invited: Vec<&Value> = results
        .iter()
        .filter(|r| r["status"] == "invited")
        .collect();
    let failed: Vec<&Value> = results.iter().filter(|r| r["status"] == "failed").collect();
    assert!(!invited.is_empty() && !failed.is_empty(), "{v}");
    assert_eq!(invited.len() + failed.len(), 40);
    for r in &invited {
        // Written, so mailed.
        assert!(r.get("error").is_none(), "{r}");
        assert_eq!(app.mails_to(r["email"].as_str().unwrap()), 1);
    }
    for r in &failed {
        assert_eq!(r["error"]["code"], "UNAVAILABLE");
        assert_eq!(app.mails_to(r["email"].as_str().unwrap()), 0);
    }
    // Running it again finishes the job.
    let again = import(&app, rows).await;
    let invited_now = again.iter().filter(|r| r["status"] == "invited").count();
    assert_eq!(invited_now, failed.len());
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["seats"]["user"]["used"], 40);
}

#[tokio::test]
async fn a_store_down_from_the_start_fails_the_call_whole() {
    let mut app = TestApp::new().await;
    let table = faulty(&mut app);
    table.fail_next_write(TableError::Unavailable("throttled".into()));
    app.as_owner(
        "group/import",
        json!({"rows": [row("ann@example.com", "user", &["Eng"])]}),
    )
    .await
    .err(503, "UNAVAILABLE");
    app.as_owner("user/get", json!({"email": "ann@example.com"}))
        .await
        .err(404, "NOT_FOUND");
}

#[tokio::test]
async fn a_member_changing_under_the_import_fails_its_row_alone() {
    let mut app = TestApp::new().await;
    let bob = app.member("bob@example.com", "user").await;
    let table = faulty(&mut app);
    let aid = account_id(&app).await;
    let uid = roster_core::domain::UserId::parse(&bob.id).unwrap();
    let key = keys::user(aid, uid);
    // Every write of bob meets a newer bob.
    for _ in 0..2 {
        table.interleave_before_write_to(
            key.clone(),
            vec![Op::update(key.clone()).add("version", 1)],
        );
    }
    let results = import(
        &app,
        vec![
            row("bob@example.com", "user", &["Eng"]),
            row("ann@example.com", "user", &["Eng"]),
        ],
    )
    .await;
    assert_eq!(statuses(&results), ["failed", "invited"]);
    assert_eq!(results[0]["error"]["code"], "CONFLICT");
    let groups = app.as_owner("group/find", json!({})).await.ok();
    assert_eq!(groups["data"][0]["members"], 1);
}

#[tokio::test]
async fn a_group_renamed_meanwhile_is_not_joined_under_its_old_name() {
    let mut app = TestApp::new().await;
    let eng = app
        .as_owner("group/create", json!({"name": "Eng"}))
        .await
        .ok();
    let table = faulty(&mut app);
    let aid = account_id(&app).await;
    let gid = roster_core::domain::GroupId::parse(eng["id"].as_str().unwrap()).unwrap();
    let ops_name = roster_core::domain::GroupName::parse("name", "Ops").unwrap();
    let group = keys::group(aid, &gid.to_string());
    table.interleave_before_write_to(
        group.clone(),
        vec![
            Op::update(group).set("name", "Ops"),
            roster_core::repo::groups::unclaim_op(aid, "eng", gid),
            roster_core::repo::groups::claim_op(aid, &ops_name, gid).unwrap(),
        ],
    );
    let results = import(&app, vec![row("ann@example.com", "user", &["Eng"])]).await;
    assert_eq!(statuses(&results), ["invited"]);
    let groups = app.as_owner("group/find", json!({})).await.ok()["data"].clone();
    let by_name = |n: &str| {
        groups
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == n)
            .cloned()
            .unwrap()
    };
    // Ann is in a new Eng, not in the group renamed Ops.
    assert_eq!(by_name("Ops")["members"], 0);
    assert_eq!(by_name("Eng")["members"], 1);
    assert_ne!(by_name("Eng")["id"], eng["id"]);
}

#[tokio::test]
async fn someone_joining_meanwhile_is_not_invited_twice() {
    let mut app = TestApp::new().await;
    let table = faulty(&mut app);
    let aid = account_id(&app).await;
    // Right before the import writes, x@example.com becomes a member (an
    // invite signed up meanwhile): its user and its e-mail claim.
    let email = roster_core::domain::Email::parse("x@example.com").unwrap();
    let uid = roster_core::domain::UserId::new();
    let user = roster_core::repo::User::new(
        uid,
        aid,
        email.clone(),
        roster_core::domain::Role::User,
        roster_core::domain::UserState::Active,
        0,
    );
    let claim = roster_core::repo::claims::EmailClaim {
        user_id: uid,
        account_id: aid,
    };
    table.interleave_before_write_to(
        keys::email_claim(&email),
        vec![
            user.insert_op().unwrap(),
            roster_core::repo::claims::claim_op(&email, &claim).unwrap(),
        ],
    );
    let results = import(&app, vec![row("x@example.com", "user", &["Eng"])]).await;
    assert_eq!(statuses(&results), ["existing"]);
    assert_eq!(results[0]["userId"], uid.to_string());
    let page = app
        .as_owner("user/find", json!({"email": "x@example.com"}))
        .await
        .ok();
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(app.mails_to("x@example.com"), 0);
}
