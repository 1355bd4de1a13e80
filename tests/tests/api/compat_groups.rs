//! The local API's user groups and assignments (`/usergroup/*`): shapes,
//! defaults, sorting, filters, assignment by id, import, and refusals.

use roster_tests::app::{Member, TestApp};
use roster_tests::compat::{uuid, Answer};
use serde_json::{json, Value};

async fn call(
    app: &TestApp,
    who: &Member,
    method: &str,
    route: &str,
    query: &str,
    body: Option<Value>,
) -> Answer {
    let uri = format!("/usergroup/{route}?token={}&{query}", who.token);
    app.send(method, &uri, None, body).await
}

fn names(page: &Value, at: &str) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.pointer(at).and_then(Value::as_str).unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn groups_insert_update_list_and_delete() {
    let app = TestApp::new().await;
    let owner = &app.owner;
    let insert = |name: &'static str| {
        let app = &app;
        async move {
            call(
                app,
                &app.owner,
                "POST",
                "insert",
                "",
                Some(json!({"name": name, "description": "about", "active": true})),
            )
            .await
            .json()
        }
    };
    let design = insert("Design Team").await;
    assert_eq!(
        (
            design["name"].clone(),
            design["description"].clone(),
            design["active"].clone()
        ),
        (json!("Design Team"), json!("about"), json!(true))
    );
    assert_eq!(design["id"].as_str().unwrap().len(), 36);
    insert("audio").await;
    insert("Zeta crew").await;
    // A name taken (in any case) is DUPLICATE; an empty one INVALID.
    call(
        &app,
        owner,
        "POST",
        "insert",
        "",
        Some(json!({"name": "design team"})),
    )
    .await
    .refused("DUPLICATE");
    let body = call(
        &app,
        owner,
        "POST",
        "insert",
        "",
        Some(json!({"name": " "})),
    )
    .await
    .refused("INVALID");
    assert!(body["errors"]["name"][0].is_string());
    // Name ascending by default, case-insensitively; `name` filters.
    let page = call(&app, owner, "GET", "get_all", "", None).await.json();
    assert_eq!(names(&page, "/name"), ["audio", "Design Team", "Zeta crew"]);
    assert_eq!(page["options"], json!({"page": 1, "pageSize": 50}));
    let page = call(
        &app,
        owner,
        "GET",
        "get_all",
        "descending=true&pagesize=2",
        None,
    )
    .await
    .json();
    assert_eq!(
        (names(&page, "/name"), page["total"].clone()),
        (vec!["Zeta crew".into(), "Design Team".into()], json!(3))
    );
    let page = call(&app, owner, "GET", "get_all", "name=TEAM", None)
        .await
        .json();
    assert_eq!(names(&page, "/name"), ["Design Team"]);
    for field in [
        "Id",
        "Name",
        "Description",
        "Active",
        "UserCount",
        "CreateDate",
    ] {
        call(
            &app,
            owner,
            "GET",
            "get_all",
            &format!("sortfield={field}"),
            None,
        )
        .await
        .json();
    }
    call(&app, owner, "GET", "get_all", "sortfield=Members", None)
        .await
        .refused("INVALID");
    // Update: omitted fields keep their values.
    let id = design["id"].as_str().unwrap();
    let v = call(
        &app,
        owner,
        "PUT",
        "update",
        "",
        Some(json!({"id": id, "description": "new"})),
    )
    .await
    .json();
    assert_eq!(
        (v["name"].clone(), v["description"].clone()),
        (json!("Design Team"), json!("new"))
    );
    let v = call(
        &app,
        owner,
        "PUT",
        "update",
        "",
        Some(json!({"id": id, "name": "Design", "active": false})),
    )
    .await
    .json();
    assert_eq!(
        (
            v["name"].clone(),
            v["active"].clone(),
            v["description"].clone()
        ),
        (json!("Design"), json!(false), json!("new"))
    );
    call(
        &app,
        owner,
        "PUT",
        "update",
        "",
        Some(json!({"id": id, "name": "audio"})),
    )
    .await
    .refused("DUPLICATE");
    call(&app, owner, "PUT", "update", "", Some(json!({"name": "x"})))
        .await
        .refused("INVALID");
    // Delete by id; then it is gone, and a second delete NOT_FOUND.
    call(&app, owner, "DELETE", "delete", &format!("id={id}"), None)
        .await
        .empty();
    call(&app, owner, "DELETE", "delete", &format!("id={id}"), None)
        .await
        .refused("NOT_FOUND");
    let page = call(&app, owner, "GET", "get_all", "", None).await.json();
    assert_eq!(page["total"], 2);
    // Only admins change groups; members read them.
    let bob = app.member("bob@example.com", "user").await;
    call(
        &app,
        &bob,
        "POST",
        "insert",
        "",
        Some(json!({"name": "Mine"})),
    )
    .await
    .refused("ACCESS");
    call(&app, &bob, "GET", "get_all", "", None).await.json();
    // A malformed body is 400.
    let a = call(&app, owner, "POST", "insert", "", Some(json!({"name": 5}))).await;
    assert_eq!(a.status.as_u16(), 400);
}

#[tokio::test]
async fn assignments_by_id_with_their_defaults_and_filters() {
    let app = TestApp::new().await;
    let owner = &app.owner;
    let bob = app.member("bob@example.com", "user").await;
    let amy = app.member("amy@example.com", "viewer").await;
    let g = |name: &'static str| {
        let app = &app;
        async move {
            call(
                app,
                &app.owner,
                "POST",
                "insert",
                "",
                Some(json!({"name": name})),
            )
            .await
            .json()["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let (design, ops) = (g("Design").await, g("ops").await);
    let pairs = json!([
        {"userId": uuid(&bob.id), "userGroupId": design},
        {"userId": uuid(&amy.id), "userGroupId": design},
        {"userId": uuid(&bob.id), "userGroupId": ops},
    ]);
    call(&app, owner, "POST", "assign_users", "", Some(pairs.clone()))
        .await
        .empty();
    // Again: the pairs exist and are skipped.
    call(&app, owner, "POST", "assign_users", "", Some(pairs))
        .await
        .empty();
    // A group's users, by username ascending, each with the assignment id.
    let q = format!("userGroupId={design}");
    let page = call(&app, owner, "GET", "get_assigned_users", &q, None)
        .await
        .json();
    assert_eq!(
        names(&page, "/user/username"),
        ["amy@example.com", "bob@example.com"]
    );
    assert_eq!(page["total"], 2);
    let row = &page["data"][1];
    assert_eq!(
        (
            row["userId"].clone(),
            row["userGroupId"].clone(),
            row["userGroup"]["name"].clone()
        ),
        (json!(uuid(&bob.id)), json!(design), json!("Design"))
    );
    let page = call(
        &app,
        owner,
        "GET",
        "get_assigned_users",
        &format!("{q}&descending=true&username=BO"),
        None,
    )
    .await
    .json();
    assert_eq!(names(&page, "/user/username"), ["bob@example.com"]);
    let page = call(
        &app,
        owner,
        "GET",
        "get_assigned_users",
        &format!("{q}&sortfield=User.UserType"),
        None,
    )
    .await
    .json();
    assert_eq!(
        names(&page, "/user/username"),
        ["bob@example.com", "amy@example.com"]
    );
    // A user's groups, by group name ascending.
    let q = format!("userId={}", uuid(&bob.id));
    let page = call(&app, &amy, "GET", "get_assigned_usergroups", &q, None)
        .await
        .json();
    assert_eq!(names(&page, "/userGroup/name"), ["Design", "ops"]);
    let page = call(
        &app,
        owner,
        "GET",
        "get_assigned_usergroups",
        &format!("{q}&name=OP"),
        None,
    )
    .await
    .json();
    assert_eq!(names(&page, "/userGroup/name"), ["ops"]);
    // Unassign by the assignment's own id.
    let id = page["data"][0]["id"].as_str().unwrap().to_string();
    call(
        &app,
        &bob,
        "DELETE",
        "unassign_user",
        &format!("id={id}"),
        None,
    )
    .await
    .refused("ACCESS");
    call(
        &app,
        owner,
        "DELETE",
        "unassign_user",
        &format!("id={id}"),
        None,
    )
    .await
    .empty();
    call(
        &app,
        owner,
        "DELETE",
        "unassign_user",
        &format!("id={id}"),
        None,
    )
    .await
    .refused("NOT_FOUND");
    let page = call(&app, owner, "GET", "get_assigned_usergroups", &q, None)
        .await
        .json();
    assert_eq!(names(&page, "/userGroup/name"), ["Design"]);
    // Assigned again, the pair is a new assignment: the old id names
    // nothing, and removing by it leaves the new one.
    let pair = json!([{"userId": uuid(&bob.id), "userGroupId": ops}]);
    call(&app, owner, "POST", "assign_users", "", Some(pair))
        .await
        .empty();
    call(
        &app,
        owner,
        "DELETE",
        "unassign_user",
        &format!("id={id}"),
        None,
    )
    .await
    .refused("NOT_FOUND");
    let page = call(&app, owner, "GET", "get_assigned_usergroups", &q, None)
        .await
        .json();
    assert_eq!(names(&page, "/userGroup/name"), ["Design", "ops"]);
    let id = page["data"][1]["id"].as_str().unwrap().to_string();
    call(
        &app,
        owner,
        "DELETE",
        "unassign_user",
        &format!("id={id}"),
        None,
    )
    .await
    .empty();
    // With details: each group's users inline, projects and drives empty.
    let page = call(&app, owner, "GET", "get_all_with_details", "", None)
        .await
        .json();
    let design_row = &page["data"][0];
    assert_eq!(design_row["name"], "Design");
    let mut users: Vec<&str> = design_row["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    users.sort();
    assert_eq!(users, ["amy@example.com", "bob@example.com"]);
    assert_eq!(
        (
            design_row["projects"].clone(),
            design_row["sharedCloudDrives"].clone(),
            design_row["userCount"].clone()
        ),
        (json!([]), json!([]), json!(2))
    );
    // Refusals: unknown ids, missing ones, other people's pairs.
    let nobody = "00000000-0000-0000-0000-000000000000";
    call(
        &app,
        owner,
        "GET",
        "get_assigned_users",
        &format!("userGroupId={nobody}"),
        None,
    )
    .await
    .refused("NOT_FOUND");
    call(&app, owner, "GET", "get_assigned_users", "", None)
        .await
        .refused("INVALID");
    call(
        &app,
        owner,
        "GET",
        "get_assigned_usergroups",
        "userId=nope",
        None,
    )
    .await
    .refused("INVALID");
    call(
        &app,
        owner,
        "POST",
        "assign_users",
        "",
        Some(json!([{"userId": nobody, "userGroupId": design}])),
    )
    .await
    .refused("NOT_FOUND");
    call(
        &app,
        &bob,
        "POST",
        "assign_users",
        "",
        Some(json!([{"userId": uuid(&bob.id), "userGroupId": ops}])),
    )
    .await
    .refused("ACCESS");
    let a = call(
        &app,
        owner,
        "POST",
        "assign_users",
        "",
        Some(json!({"userId": "x"})),
    )
    .await;
    assert_eq!(a.status.as_u16(), 400);
}
