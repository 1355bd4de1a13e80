//! The replaced APIs' user lists: `get_all_users` and
//! `get_all_users_with_details`, hosted and local — offset paging with
//! totals, the documents' defaults, every sort field, the flag filters,
//! `username`, removed users with `deleted=true`, and their refusals.

use roster_tests::app::{Member, TestApp, PASSWORD};
use roster_tests::compat::{uuid, Answer};
use serde_json::{json, Value};

/// `GET <api>/get_all_users<suffix>?<query>` as `token`, on the hosted
/// (bearer) or the local (`?token=`) API.
async fn list(app: &TestApp, local: bool, token: &str, route: &str, query: &str) -> Answer {
    if local {
        let uri = format!("/user/{route}?token={token}&{query}");
        app.send("GET", &uri, None, None).await
    } else {
        let uri = format!("/api/v1/user/{route}?{query}");
        app.send("GET", &uri, Some(token), None).await
    }
}

fn usernames(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect()
}

/// The owner, an admin, two users (one disabled), a viewer, one pending user.
async fn team(app: &TestApp) -> (Member, Member) {
    let admin = app.member("ann@example.com", "admin").await;
    let bob = app.member("Bob@example.com", "user").await;
    let carl = app.member("carl@example.com", "user").await;
    app.as_owner("user/update", json!({"id": carl.id, "state": "disabled"}))
        .await
        .ok();
    app.member("vera@example.com", "viewer").await;
    app.invite("pete@example.com", "user").await;
    (admin, bob)
}

#[tokio::test]
async fn defaults_paging_and_sorting_on_both_apis() {
    let app = TestApp::new().await;
    let (_, bob) = team(&app).await;
    for local in [false, true] {
        // The defaults: newest first, page 1 of 50. Any member may list.
        let page = list(&app, local, &bob.token, "get_all_users", "")
            .await
            .json();
        assert_eq!(page["total"], 6);
        assert_eq!(page["options"], json!({"page": 1, "pageSize": 50}));
        assert_eq!(
            usernames(&page),
            [
                "pete@example.com",
                "vera@example.com",
                "carl@example.com",
                "bob@example.com",
                "ann@example.com",
                app.owner.email.as_str()
            ]
        );
        let first = &page["data"][0];
        assert_eq!(
            (first["status"].clone(), first["userType"].clone()),
            (json!(4), json!(32))
        );
        assert_eq!(first["deleted"], false);
        // Pages of 4: the second holds the rest, the third nothing; the total stays.
        let q = "page=2&pagesize=4&sortfield=CreateDate&descending=true";
        let page = list(&app, local, &bob.token, "get_all_users", q)
            .await
            .json();
        assert_eq!(page["options"], json!({"page": 2, "pageSize": 4}));
        assert_eq!(
            (usernames(&page), page["total"].clone()),
            (
                vec!["ann@example.com".to_string(), app.owner.email.clone()],
                json!(6)
            )
        );
        let page = list(
            &app,
            local,
            &bob.token,
            "get_all_users",
            "page=3&pagesize=4",
        )
        .await
        .json();
        assert_eq!(
            (page["data"].clone(), page["total"].clone()),
            (json!([]), json!(6))
        );
        // Ascending, by name of the field in any case.
        let page = list(
            &app,
            local,
            &bob.token,
            "get_all_users",
            "sortfield=username&descending=false",
        )
        .await
        .json();
        let mut sorted = usernames(&page);
        sorted.sort();
        assert_eq!(usernames(&page), sorted);
    }
}

#[tokio::test]
async fn every_sort_field_orders_the_whole_list() {
    let app = TestApp::new().await;
    team(&app).await;
    let token = &app.owner.token;
    for field in [
        "Id",
        "FirstName",
        "LastName",
        "UserName",
        "Email",
        "UserType",
        "Status",
        "Owner",
        "Mfa",
        "CreateDate",
        "Deleted",
        "DeleteDate",
    ] {
        for descending in [false, true] {
            let q = format!("sortfield={field}&descending={descending}&deleted=true");
            let page = list(&app, false, token, "get_all_users", &q).await.json();
            let key = field.to_lowercase();
            let values: Vec<Value> = page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| {
                    let (_, v) = u
                        .as_object()
                        .unwrap()
                        .iter()
                        .find(|(k, _)| k.to_lowercase() == key)
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .unwrap_or_default();
                    v
                })
                .collect();
            let ordered = values.windows(2).all(|w| {
                let o = compare(&w[0], &w[1]);
                if descending {
                    o != std::cmp::Ordering::Less
                } else {
                    o != std::cmp::Ordering::Greater
                }
            });
            assert!(ordered, "{field} descending={descending}: {values:?}");
        }
    }
}

fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Value::Number(x), Value::Number(y)) => x.as_i64().cmp(&y.as_i64()),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Null, Value::Null) => std::cmp::Ordering::Equal,
        (Value::Null, _) => std::cmp::Ordering::Less,
        (_, Value::Null) => std::cmp::Ordering::Greater,
        _ => panic!("mixed values {a} {b}"),
    }
}

#[tokio::test]
async fn flag_filters_and_username_combine() {
    let app = TestApp::new().await;
    team(&app).await;
    let token = &app.owner.token;
    let count = |q: &'static str, local: bool| {
        let app = &app;
        async move {
            let page = list(app, local, token, "get_all_users", q).await.json();
            let mut names = usernames(&page);
            names.sort();
            (page["total"].as_u64().unwrap(), names)
        }
    };
    for local in [false, true] {
        // Status flags: Active=1, Inactive=2, Pending=4, any combination.
        assert_eq!(count("userStatus=1", local).await.0, 4);
        assert_eq!(count("userStatus=2", local).await.1, ["carl@example.com"]);
        assert_eq!(count("userStatus=4", local).await.1, ["pete@example.com"]);
        assert_eq!(count("userStatus=6", local).await.0, 2);
        assert_eq!(count("userStatus=7", local).await.0, 6);
        // Type flags: the owner is an admin (16); 32 users; 64 viewers.
        assert_eq!(count("userType=16", local).await.0, 2);
        assert_eq!(count("userType=32", local).await.0, 3);
        assert_eq!(count("userType=64", local).await.1, ["vera@example.com"]);
        assert_eq!(count("userType=80", local).await.0, 3);
        // A case-insensitive substring of the username, with the others.
        assert_eq!(count("username=AR", local).await.1, ["carl@example.com"]);
        assert_eq!(
            count("username=example&userType=32&userStatus=1", local)
                .await
                .0,
            1
        );
        assert_eq!(count("username=nobody", local).await.0, 0);
    }
}

#[tokio::test]
async fn malformed_and_refused_parameters() {
    let app = TestApp::new().await;
    let token = &app.owner.token;
    for local in [false, true] {
        for (q, field) in [
            ("page=0", "page"),
            ("pagesize=0", "pagesize"),
            ("pagesize=1001", "pagesize"),
            ("sortfield=Password", "sortfield"),
            ("userStatus=8", "userStatus"),
            ("userType=1", "userType"),
            ("userType=-16", "userType"),
        ] {
            let body = list(&app, local, token, "get_all_users", q)
                .await
                .refused("INVALID");
            assert!(body["errors"][field][0].is_string(), "{q}: {body}");
        }
        for q in [
            "page=abc",
            "pagesize=1.5",
            "descending=maybe",
            "deleted=yes",
        ] {
            let a = list(&app, local, token, "get_all_users", q).await;
            assert_eq!(a.status.as_u16(), 400, "{q}: {}", a.text);
        }
    }
    let a = app
        .send("GET", "/api/v1/user/get_all_users", None, None)
        .await;
    assert_eq!(a.status.as_u16(), 401);
    let a = app.send("GET", "/user/get_all_users", None, None).await;
    assert_eq!(a.status.as_u16(), 401);
}

#[tokio::test]
async fn details_carry_groups_and_empty_projects_and_drives() {
    let app = TestApp::new().await;
    let (_, bob) = team(&app).await;
    let group = |name: &'static str| {
        let app = &app;
        async move {
            app.as_owner("group/create", json!({"name": name}))
                .await
                .ok()["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let (design, ops) = (group("Design").await, group("Ops").await);
    app.as_owner(
        "group/assign",
        json!({"assignments": [
            {"userId": bob.id, "groupId": ops},
            {"userId": bob.id, "groupId": design},
        ]}),
    )
    .await
    .ok();
    let q = "username=bob";
    let hosted = list(&app, false, &bob.token, "get_all_users_with_details", q)
        .await
        .json();
    let row = &hosted["data"][0];
    assert_eq!(row["id"], uuid(&bob.id));
    assert_eq!(
        (row["projectsData"].clone(), row["drivesData"].clone()),
        (json!([]), json!([]))
    );
    let groups = row["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    // In name order, each with the user, the group and the assignment.
    assert_eq!(groups[0]["userGroup"]["name"], "Design");
    assert_eq!(groups[0]["userGroup"]["id"], uuid(&design));
    assert_eq!(groups[1]["userGroup"]["name"], "Ops");
    assert_eq!(groups[0]["user"]["username"], "bob@example.com");
    let assignment = &groups[0]["userUserGroup"];
    assert_eq!(
        (
            assignment["userId"].clone(),
            assignment["userGroupId"].clone()
        ),
        (json!(uuid(&bob.id)), json!(uuid(&design)))
    );
    assert!(assignment["id"].is_string());

    let local = list(&app, true, &bob.token, "get_all_users_with_details", q)
        .await
        .json();
    let row = &local["data"][0];
    assert_eq!(
        (row["projects"].clone(), row["sharedCloudDrives"].clone()),
        (json!([]), json!([]))
    );
    let names: Vec<&str> = row["userGroups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Design", "Ops"]);
    // The hosted shape on the hosted API only, and the other way round.
    assert!(row.get("groups").is_none() && hosted["data"][0].get("userGroups").is_none());
    // Paging and filters as without details.
    let all = list(
        &app,
        true,
        &app.owner.token,
        "get_all_users_with_details",
        "pagesize=2",
    )
    .await
    .json();
    assert_eq!(
        (all["total"].clone(), all["data"].as_array().unwrap().len()),
        (json!(6), 2)
    );
}

#[tokio::test]
async fn removed_users_are_listed_only_with_deleted_and_never_natively() {
    let app = TestApp::new().await;
    let (admin, bob) = team(&app).await;
    let vera = app.logged_in("vera@example.com", PASSWORD).await;
    app.send(
        "DELETE",
        &format!("/api/v1/user/delete_user?id={}", uuid(&bob.id)),
        Some(&app.owner.token),
        None,
    )
    .await
    .empty();
    // Natively removed users leave a tombstone too.
    let pete = app
        .as_owner("user/get", json!({"email": "pete@example.com"}))
        .await
        .ok();
    app.as_owner("user/remove", json!({"id": pete["id"]}))
        .await
        .ok();
    for local in [false, true] {
        let page = list(&app, local, &app.owner.token, "get_all_users", "")
            .await
            .json();
        assert_eq!(page["total"], 4);
        assert!(!usernames(&page).contains(&"bob@example.com".to_string()));
        let page = list(
            &app,
            local,
            &app.owner.token,
            "get_all_users",
            "deleted=true",
        )
        .await
        .json();
        assert_eq!(page["total"], 6);
        let gone: Vec<&Value> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["deleted"] == true)
            .collect();
        assert_eq!(gone.len(), 2);
        for u in gone {
            // It says so: deleted, inactive, and when.
            assert_eq!(u["status"], 2);
            assert!(u["deleteDate"].is_string(), "{u}");
        }
        // Filters apply to removed users as to the others.
        let page = list(
            &app,
            local,
            &app.owner.token,
            "get_all_users",
            "deleted=true&username=bob",
        )
        .await
        .json();
        assert_eq!(page["data"][0]["id"], uuid(&bob.id));
        assert_eq!(page["data"][0]["deleted"], true);
    }
    // Only admins see them (as only admins read the audit log).
    for local in [false, true] {
        list(&app, local, &admin.token, "get_all_users", "deleted=true")
            .await
            .json();
        list(&app, local, &vera.token, "get_all_users", "deleted=true")
            .await
            .refused("ACCESS");
    }
    // The native API never shows them.
    let found = app.as_owner("user/find", json!({})).await.ok();
    assert_eq!(found["data"].as_array().unwrap().len(), 4);
}
