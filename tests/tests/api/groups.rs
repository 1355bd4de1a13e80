//! Groups: create, read, rename, remove, find; names unique per account
//! regardless of case; the plan's group limit; members read, admins write.

use roster_tests::app::{other_account, Options, TestApp};
use serde_json::{json, Value};

fn names(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_group_is_created_read_and_updated() {
    let app = TestApp::new().await;
    let g = app
        .as_owner(
            "group/create",
            json!({"name": " Eng ", "description": "builds"}),
        )
        .await
        .ok();
    assert_eq!(g["name"], "Eng");
    assert_eq!(g["description"], "builds");
    assert_eq!(g["active"], true);
    assert_eq!(g["members"], 0);
    assert!(g["created"].is_string() && g["updated"].is_string());
    let got = app.as_owner("group/get", json!({"id": g["id"]})).await.ok();
    assert_eq!(got, g);
    let v = app
        .as_owner(
            "group/update",
            json!({"id": g["id"], "active": false, "description": ""}),
        )
        .await
        .ok();
    assert_eq!(
        (v["active"].clone(), v["description"].clone()),
        (json!(false), json!(""))
    );
    let got = app.as_owner("group/get", json!({"id": g["id"]})).await.ok();
    assert_eq!(got["active"], false);
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["groups"]["used"], 1);
}

#[tokio::test]
async fn names_are_unique_regardless_of_case_and_renames_swap_the_claim() {
    let app = TestApp::new().await;
    let eng = app
        .as_owner("group/create", json!({"name": "Eng"}))
        .await
        .ok();
    app.as_owner("group/create", json!({"name": "ENG"}))
        .await
        .err(409, "CONFLICT");
    let ops = app
        .as_owner("group/create", json!({"name": "Ops"}))
        .await
        .ok();
    let r = app
        .as_owner("group/update", json!({"id": ops["id"], "name": "eng"}))
        .await;
    r.err(409, "CONFLICT");
    assert_eq!(r.field(), "name");
    // A case-only rename keeps the claim.
    app.as_owner("group/update", json!({"id": eng["id"], "name": "ENG"}))
        .await
        .ok();
    // A rename frees the old name at once.
    app.as_owner("group/update", json!({"id": eng["id"], "name": "Platform"}))
        .await
        .ok();
    app.as_owner("group/create", json!({"name": "eng"}))
        .await
        .ok();
    let page = app.as_owner("group/find", json!({})).await.ok();
    assert_eq!(names(&page), ["eng", "Ops", "Platform"]);
}

#[tokio::test]
async fn names_and_descriptions_are_validated() {
    let app = TestApp::new().await;
    for bad in ["", "  ", &"x".repeat(101), "a\u{0}b"] {
        let r = app.as_owner("group/create", json!({"name": bad})).await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "name");
    }
    let r = app
        .as_owner(
            "group/create",
            json!({"name": "A", "description": "d".repeat(1001)}),
        )
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "description");
    app.as_owner(
        "group/create",
        json!({"name": "x".repeat(100), "description": "d".repeat(1000)}),
    )
    .await
    .ok();
    app.as_owner("group/create", json!({"name": "A", "color": "red"}))
        .await
        .err(400, "BAD_REQUEST");
    app.as_owner("group/get", json!({"id": "nope"}))
        .await
        .err(400, "INVALID");
}

#[tokio::test]
async fn members_read_admins_write() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    let g = app
        .as_owner("group/create", json!({"name": "Eng"}))
        .await
        .ok();
    app.as_member(&ann, "group/get", json!({"id": g["id"]}))
        .await
        .ok();
    app.as_member(&ann, "group/find", json!({})).await.ok();
    for (op, body) in [
        ("group/create", json!({"name": "X"})),
        ("group/update", json!({"id": g["id"], "name": "Y"})),
        ("group/remove", json!({"id": g["id"]})),
        (
            "group/assign",
            json!({"assignments": [{"userId": ann.id, "groupId": g["id"]}]}),
        ),
        (
            "group/unassign",
            json!({"userId": ann.id, "groupId": g["id"]}),
        ),
    ] {
        app.as_member(&ann, op, body).await.err(403, "FORBIDDEN");
    }
}

#[tokio::test]
async fn another_accounts_groups_are_not_found() {
    let app = TestApp::new().await;
    let g = app
        .as_owner("group/create", json!({"name": "Eng"}))
        .await
        .ok();
    let other = other_account(&app).await;
    for (op, body) in [
        ("group/get", json!({"id": g["id"]})),
        ("group/update", json!({"id": g["id"], "name": "Mine"})),
        ("group/remove", json!({"id": g["id"]})),
        ("group/members", json!({"groupId": g["id"]})),
    ] {
        app.as_member(&other, op, body).await.err(404, "NOT_FOUND");
    }
    // Names are per account.
    app.as_member(&other, "group/create", json!({"name": "Eng"}))
        .await
        .ok();
    let page = app.as_member(&other, "group/find", json!({})).await.ok();
    assert_eq!(names(&page), ["Eng"]);
}

#[tokio::test]
async fn the_plan_caps_groups_and_removal_frees_one() {
    let app = TestApp::with(Options {
        plan: "free",
        ..Options::default()
    })
    .await;
    let mut ids = Vec::new();
    for name in ["a", "b", "c"] {
        ids.push(
            app.as_owner("group/create", json!({"name": name}))
                .await
                .ok()["id"]
                .clone(),
        );
    }
    let r = app.as_owner("group/create", json!({"name": "d"})).await;
    r.err(409, "LIMIT_REACHED");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("group"));
    app.as_owner("group/remove", json!({"id": ids[0]}))
        .await
        .ok();
    app.as_owner("group/get", json!({"id": ids[0]}))
        .await
        .err(404, "NOT_FOUND");
    app.as_owner("group/remove", json!({"id": ids[0]}))
        .await
        .err(404, "NOT_FOUND");
    app.as_owner("group/create", json!({"name": "a"}))
        .await
        .ok();
}

#[tokio::test]
async fn find_pages_by_name_with_a_case_insensitive_prefix() {
    let app = TestApp::new().await;
    for name in ["beta", "Alpha", "alps", "Gamma", "ALTO"] {
        app.as_owner("group/create", json!({"name": name}))
            .await
            .ok();
    }
    let page = app.as_owner("group/find", json!({"name": "AL"})).await.ok();
    assert_eq!(names(&page), ["Alpha", "alps", "ALTO"]);
    let token = app.owner.token.clone();
    let first = app
        .raw("group/find", "limit=2", Some(&token), b"{}".to_vec())
        .await
        .ok();
    assert_eq!(names(&first), ["Alpha", "alps"]);
    let next = first["next"].as_str().unwrap();
    let second = app
        .raw(
            "group/find",
            &format!("limit=2&next={next}"),
            Some(&token),
            b"{}".to_vec(),
        )
        .await
        .ok();
    assert_eq!(names(&second), ["ALTO", "beta"]);
    let prev = second["prev"].as_str().unwrap();
    let back = app
        .raw(
            "group/find",
            &format!("limit=2&prev={prev}"),
            Some(&token),
            b"{}".to_vec(),
        )
        .await
        .ok();
    assert_eq!(names(&back), ["Alpha", "alps"]);
    app.raw("group/find", "index=gs1", Some(&token), b"{}".to_vec())
        .await
        .err(400, "BAD_REQUEST");
}

#[tokio::test]
async fn a_removal_cut_short_is_invisible_and_the_next_removal_finishes_it() {
    use roster_core::ports::{Index, Query, SortKey, TableError};
    use roster_tests::faults::FaultyTable;
    let plan = r#"{"seats": {"admin": 5, "user": 100, "viewer": 5}, "groups": 10}"#;
    let mut app = TestApp::with(Options {
        plan,
        ..Options::default()
    })
    .await;
    // 50 members: two chunks of removal.
    let rows: Vec<Value> = (0..50)
        .map(|i| {
            json!({"user": {"email": format!("p{i:02}@example.com"), "role": "user"},
                        "groups": ["Big"]})
        })
        .collect();
    app.as_owner("group/import", json!({ "rows": rows }))
        .await
        .ok();
    let big = app.as_owner("group/find", json!({})).await.ok()["data"][0].clone();
    let other = app
        .as_owner("group/create", json!({"name": "Other"}))
        .await
        .ok();
    let account = app.as_owner("account/get", json!({})).await.ok();
    let aid = roster_core::domain::AccountId::parse(account["id"].as_str().unwrap()).unwrap();
    let table = FaultyTable::new(app.roster.table.clone());
    let mut roster = app.roster.clone();
    roster.table = table.clone();
    app.use_roster(roster);
    let left = |prefix: String| {
        let table = app.roster.table.clone();
        async move {
            let mut q = Query::new(Index::Primary, format!("ACCT#{aid}"));
            q.sk = Some(SortKey::BeginsWith(prefix));
            q.consistent = true;
            table.query(&q).await.unwrap().items.len()
        }
    };

    // The removal commits; its first chunk too; the second fails.
    table.fail_write_after(2, TableError::Unavailable("throttled".into()));
    app.as_owner("group/remove", json!({"id": big["id"]}))
        .await
        .ok();
    let gid = big["id"].as_str().unwrap().to_string();
    assert_eq!(left(format!("MEMBER#{gid}#")).await, 10);
    assert_eq!(left("PURGE#".into()).await, 1);
    // Nothing of it shows.
    app.as_owner("group/get", json!({"id": big["id"]}))
        .await
        .err(404, "NOT_FOUND");
    app.as_owner("group/members", json!({"groupId": big["id"]}))
        .await
        .err(404, "NOT_FOUND");
    let page = app
        .raw(
            "user/find",
            "limit=100",
            Some(&app.owner.token),
            serde_json::to_vec(&json!({"details": true})).unwrap(),
        )
        .await
        .ok();
    assert!(page["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["groups"].as_array().unwrap().is_empty()));
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["groups"]["used"], 1);

    // The next removal in the account finishes it.
    app.as_owner("group/remove", json!({"id": other["id"]}))
        .await
        .ok();
    assert_eq!(left(format!("MEMBER#{gid}#")).await, 0);
    assert_eq!(left("PURGE#".into()).await, 0);
    for i in [0, 25, 49] {
        let email = format!("p{i:02}@example.com");
        let uid = app
            .as_owner("user/get", json!({ "email": email }))
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let uid = roster_core::domain::UserId::parse(&uid).unwrap();
        let item = app
            .roster
            .table
            .get(&roster_core::repo::keys::user(aid, uid), true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(item["groups"], json!([]), "{email}");
    }
}
