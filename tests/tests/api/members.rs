//! Membership: assign (skipping pairs that exist, in chunks when one
//! transaction can't hold them), unassign, a group's members, a user's
//! groups, users with their groups, and what removals do to memberships.

use roster_tests::app::{other_account, Options, TestApp};
use serde_json::{json, Value};

fn emails(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect()
}

/// `user/find {details: true}`'s groups of the user with `email`.
async fn groups_of(app: &TestApp, email: &str) -> Value {
    let v = app
        .as_owner("user/find", json!({"email": email, "details": true}))
        .await
        .ok();
    v["data"][0]["groups"].clone()
}

async fn group(app: &TestApp, name: &str) -> String {
    app.as_owner("group/create", json!({"name": name}))
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn assign_skips_existing_pairs_and_counts_members() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    let bob = app.invite("bob@example.com", "viewer").await;
    let eng = group(&app, "Eng").await;
    let pairs = json!({"assignments": [
        {"userId": ann.id, "groupId": eng},
        {"userId": bob["id"], "groupId": eng},
        {"userId": ann.id, "groupId": eng},
    ]});
    let v = app.as_owner("group/assign", pairs.clone()).await.ok();
    assert_eq!(v, json!({"assigned": 2, "skipped": 1}));
    let v = app.as_owner("group/assign", pairs).await.ok();
    assert_eq!(v, json!({"assigned": 0, "skipped": 3}));
    let g = app.as_owner("group/get", json!({"id": eng})).await.ok();
    assert_eq!(g["members"], 2);
    let members = app
        .as_member(&ann, "group/members", json!({"groupId": eng}))
        .await
        .ok();
    assert_eq!(emails(&members), ["ann@example.com", "bob@example.com"]);
    let found = app
        .as_owner("group/members", json!({"groupId": eng, "query": "BO"}))
        .await
        .ok();
    assert_eq!(emails(&found), ["bob@example.com"]);
    let found = app
        .as_owner("group/members", json!({"groupId": eng, "query": "test us"}))
        .await
        .ok();
    assert_eq!(emails(&found), ["ann@example.com"]);
    // Unassign, then it is gone from every read.
    app.as_owner("group/unassign", json!({"userId": ann.id, "groupId": eng}))
        .await
        .ok();
    app.as_owner("group/unassign", json!({"userId": ann.id, "groupId": eng}))
        .await
        .err(404, "NOT_FOUND");
    let members = app
        .as_owner("group/members", json!({"groupId": eng}))
        .await
        .ok();
    assert_eq!(emails(&members), ["bob@example.com"]);
    let g = app.as_owner("group/get", json!({"id": eng})).await.ok();
    assert_eq!(g["members"], 1);
}

#[tokio::test]
async fn unknown_and_foreign_ids_are_not_found_and_nothing_is_written() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    let eng = group(&app, "Eng").await;
    let other = other_account(&app).await;
    let theirs = app
        .as_member(&other, "group/create", json!({"name": "X"}))
        .await
        .ok()["id"]
        .clone();
    let ghost = roster_core::domain::UserId::new().to_string();
    for pairs in [
        json!([{"userId": ann.id, "groupId": theirs}]),
        json!([{"userId": other.id, "groupId": eng}]),
        json!([{"userId": ann.id, "groupId": eng}, {"userId": ghost, "groupId": eng}]),
    ] {
        app.as_owner("group/assign", json!({"assignments": pairs}))
            .await
            .err(404, "NOT_FOUND");
    }
    let g = app.as_owner("group/get", json!({"id": eng})).await.ok();
    assert_eq!(g["members"], 0);
    app.as_owner("group/ofUser", json!({"userId": other.id}))
        .await
        .err(404, "NOT_FOUND");
    let r = app
        .as_owner(
            "group/assign",
            json!({"assignments": [{"userId": "x", "groupId": eng}]}),
        )
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "userId");
    let many: Vec<Value> = (0..101)
        .map(|_| json!({"userId": ann.id, "groupId": eng}))
        .collect();
    let r = app
        .as_owner("group/assign", json!({"assignments": many}))
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "assignments");
}

#[tokio::test]
async fn users_carry_their_groups_by_name() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    let (b, a) = (group(&app, "Beta").await, group(&app, "alpha").await);
    app.as_owner(
        "group/assign",
        json!({"assignments": [{"userId": ann.id, "groupId": b}, {"userId": ann.id, "groupId": a}]}),
    )
    .await
    .ok();
    assert_eq!(
        groups_of(&app, "ann@example.com").await,
        json!([{"id": a, "name": "alpha"}, {"id": b, "name": "Beta"}])
    );
    let owner = app
        .as_owner(
            "user/find",
            json!({"email": "owner@example.com", "details": true}),
        )
        .await
        .ok();
    assert_eq!(owner["data"][0]["groups"], json!([]));
    // Without details, no groups key.
    let v = app.as_owner("user/find", json!({})).await.ok();
    assert!(v["data"][0].get("groups").is_none());
    // A user's groups, in name order; members may read them.
    let v = app
        .as_member(&ann, "group/ofUser", json!({"userId": ann.id}))
        .await
        .ok();
    let got: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["alpha", "Beta"]);
    let first = app
        .raw(
            "group/ofUser",
            "limit=1",
            Some(&ann.token),
            json!({"userId": ann.id}).to_string().into_bytes(),
        )
        .await
        .ok();
    assert_eq!(first["data"][0]["name"], "alpha");
    let next = first["next"].as_str().unwrap();
    let second = app
        .raw(
            "group/ofUser",
            &format!("limit=1&next={next}"),
            Some(&ann.token),
            json!({"userId": ann.id}).to_string().into_bytes(),
        )
        .await
        .ok();
    assert_eq!(second["data"][0]["name"], "Beta");
    assert!(second.get("next").is_none());
    // A renamed group is named anew everywhere.
    app.as_owner("group/update", json!({"id": a, "name": "Zeta"}))
        .await
        .ok();
    assert_eq!(groups_of(&app, "ann@example.com").await[1]["name"], "Zeta");
}

#[tokio::test]
async fn removing_a_group_removes_its_memberships_and_a_user_its_own() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    let bob = app.member("bob@example.com", "user").await;
    let (eng, ops) = (group(&app, "Eng").await, group(&app, "Ops").await);
    app.as_owner(
        "group/assign",
        json!({"assignments": [
            {"userId": ann.id, "groupId": eng}, {"userId": bob.id, "groupId": eng},
            {"userId": ann.id, "groupId": ops}, {"userId": bob.id, "groupId": ops},
        ]}),
    )
    .await
    .ok();
    app.as_owner("group/remove", json!({"id": eng})).await.ok();
    app.as_owner("group/members", json!({"groupId": eng}))
        .await
        .err(404, "NOT_FOUND");
    assert_eq!(
        groups_of(&app, "ann@example.com").await,
        json!([{"id": ops, "name": "Ops"}])
    );
    // Ann can be assigned again to a new group of the old name.
    let eng2 = group(&app, "Eng").await;
    app.as_owner(
        "group/assign",
        json!({"assignments": [{"userId": ann.id, "groupId": eng2}]}),
    )
    .await
    .ok();
    // Removing a user removes its memberships and the groups' counts move.
    app.as_owner("user/remove", json!({"id": ann.id}))
        .await
        .ok();
    let v = app
        .as_owner("group/members", json!({"groupId": ops}))
        .await
        .ok();
    assert_eq!(emails(&v), ["bob@example.com"]);
    let g = app.as_owner("group/get", json!({"id": ops})).await.ok();
    assert_eq!(g["members"], 1);
    let g = app.as_owner("group/get", json!({"id": eng2})).await.ok();
    assert_eq!(g["members"], 0);
}

#[tokio::test]
async fn a_large_assignment_runs_in_chunks_each_whole() {
    // 50 users into 2 groups: 100 pairs, 50 users and 2 groups are more
    // ops than one transaction holds.
    let app = TestApp::with(Options {
        plan: "business",
        ..Options::default()
    })
    .await;
    let mut users = Vec::new();
    for i in 0..50 {
        users.push(app.invite(&format!("u{i:02}@example.com"), "user").await["id"].clone());
    }
    let (a, b) = (group(&app, "A").await, group(&app, "B").await);
    let pairs: Vec<Value> = users
        .iter()
        .flat_map(|u| {
            [
                json!({"userId": u, "groupId": a}),
                json!({"userId": u, "groupId": b}),
            ]
        })
        .collect();
    let v = app
        .as_owner("group/assign", json!({"assignments": pairs}))
        .await
        .ok();
    assert_eq!(v, json!({"assigned": 100, "skipped": 0}));
    for g in [&a, &b] {
        let got = app.as_owner("group/get", json!({"id": g})).await.ok();
        assert_eq!(got["members"], 50);
    }
    let page = app
        .raw(
            "group/members",
            "limit=100",
            Some(&app.owner.token),
            json!({"groupId": a}).to_string().into_bytes(),
        )
        .await
        .ok();
    assert_eq!(page["data"].as_array().unwrap().len(), 50);
    // More than one audit entry: one per chunk.
    let log = app
        .as_owner("account/audit", json!({"action": "group/assign"}))
        .await
        .ok();
    assert!(log["data"].as_array().unwrap().len() >= 2);
}

/// The members of group `gid` whose e-mail or names start with `query`.
async fn found_by(app: &TestApp, gid: &Value, query: &str) -> Vec<String> {
    let page = app
        .as_owner("group/members", json!({"groupId": gid, "query": query}))
        .await
        .ok();
    emails(&page)
}

#[tokio::test]
async fn an_invitee_in_groups_is_found_by_the_names_it_signs_up_with() {
    let app = TestApp::new().await;
    let row = json!({"user": {"email": "ann@example.com", "role": "user"}, "groups": ["Eng"]});
    app.as_owner("group/import", json!({"rows": [row]}))
        .await
        .ok();
    let token = app.invite_token_from_mail("ann@example.com").unwrap();
    app.call(
        "user/signup",
        None,
        json!({"token": token, "first": "Zed", "last": "Quill",
               "password": roster_tests::app::PASSWORD}),
    )
    .await
    .ok();
    let eng = app.as_owner("group/find", json!({})).await.ok()["data"][0]["id"].clone();
    assert_eq!(found_by(&app, &eng, "zed q").await, ["ann@example.com"]);
    assert_eq!(found_by(&app, &eng, "quill").await, ["ann@example.com"]);
}

#[tokio::test]
async fn a_user_in_more_groups_than_one_transaction_holds_is_found_by_its_new_name() {
    let plan = r#"{"seats": {"admin": 5, "user": 5, "viewer": 5}, "groups": 50}"#;
    let app = TestApp::with(Options {
        plan,
        ..Options::default()
    })
    .await;
    let bob = app.member("bob@example.com", "user").await;
    let names: Vec<String> = (0..45).map(|g| format!("G{g:02}")).collect();
    for part in [&names[..30], &names[30..]] {
        let row = json!({"user": {"email": "bob@example.com", "role": "user"}, "groups": part});
        let v = app
            .as_owner("group/import", json!({"rows": [row]}))
            .await
            .ok();
        assert_eq!(v["results"][0]["status"], "existing");
    }
    assert_eq!(
        groups_of(&app, "bob@example.com")
            .await
            .as_array()
            .unwrap()
            .len(),
        45
    );
    app.as_owner("user/update", json!({"id": bob.id, "last": "Yonder"}))
        .await
        .ok();
    let page = app
        .raw(
            "group/find",
            "limit=50",
            Some(&app.owner.token),
            b"{}".to_vec(),
        )
        .await
        .ok();
    let groups = page["data"].as_array().unwrap();
    assert_eq!(groups.len(), 45);
    for g in groups {
        assert_eq!(
            found_by(&app, &g["id"], "yonder").await,
            ["bob@example.com"]
        );
    }
}
