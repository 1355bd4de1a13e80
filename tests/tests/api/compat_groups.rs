//! The local API's user groups and assignments (`/usergroup/*`): shapes,
//! defaults, sorting, filters, assignment by id, import, and refusals.

use roster_core::ports::{Key, Op};
use roster_tests::app::TestApp;
use roster_tests::compat::{column, uuid};
use roster_tests::faults::faulty_app;
use serde_json::json;

#[tokio::test]
async fn groups_insert_update_list_and_delete() {
    let app = TestApp::new().await;
    let owner = &app.owner;
    let insert = |name: &'static str| {
        let app = &app;
        async move {
            app.usergroup(
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
    app.usergroup(
        owner,
        "POST",
        "insert",
        "",
        Some(json!({"name": "design team"})),
    )
    .await
    .refused("DUPLICATE");
    let body = app
        .usergroup(owner, "POST", "insert", "", Some(json!({"name": " "})))
        .await
        .refused("INVALID");
    assert!(body["errors"]["name"][0].is_string());
    // Name ascending by default, case-insensitively; `name` filters.
    let page = app
        .usergroup(owner, "GET", "get_all", "", None)
        .await
        .json();
    assert_eq!(
        column(&page, "/name"),
        ["audio", "Design Team", "Zeta crew"]
    );
    assert_eq!(page["options"], json!({"page": 1, "pageSize": 50}));
    let page = app
        .usergroup(owner, "GET", "get_all", "descending=true&pagesize=2", None)
        .await
        .json();
    assert_eq!(
        (column(&page, "/name"), page["total"].clone()),
        (vec!["Zeta crew".into(), "Design Team".into()], json!(3))
    );
    let page = app
        .usergroup(owner, "GET", "get_all", "name=TEAM", None)
        .await
        .json();
    assert_eq!(column(&page, "/name"), ["Design Team"]);
    for field in [
        "Id",
        "Name",
        "Description",
        "Active",
        "UserCount",
        "CreateDate",
    ] {
        app.usergroup(owner, "GET", "get_all", &format!("sortfield={field}"), None)
            .await
            .json();
    }
    app.usergroup(owner, "GET", "get_all", "sortfield=Members", None)
        .await
        .refused("INVALID");
    // Update: omitted fields keep their values.
    let id = design["id"].as_str().unwrap();
    let v = app
        .usergroup(
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
    let v = app
        .usergroup(
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
    app.usergroup(
        owner,
        "PUT",
        "update",
        "",
        Some(json!({"id": id, "name": "audio"})),
    )
    .await
    .refused("DUPLICATE");
    app.usergroup(owner, "PUT", "update", "", Some(json!({"name": "x"})))
        .await
        .refused("INVALID");
    // Delete by id; then it is gone, and a second delete NOT_FOUND.
    app.usergroup(owner, "DELETE", "delete", &format!("id={id}"), None)
        .await
        .empty();
    app.usergroup(owner, "DELETE", "delete", &format!("id={id}"), None)
        .await
        .refused("NOT_FOUND");
    let page = app
        .usergroup(owner, "GET", "get_all", "", None)
        .await
        .json();
    assert_eq!(page["total"], 2);
    // Only admins change groups; members read them.
    let bob = app.member("bob@example.com", "user").await;
    app.usergroup(&bob, "POST", "insert", "", Some(json!({"name": "Mine"})))
        .await
        .refused("ACCESS");
    app.usergroup(&bob, "GET", "get_all", "", None).await.json();
    // A malformed body is 400.
    let a = app
        .usergroup(owner, "POST", "insert", "", Some(json!({"name": 5})))
        .await;
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
            app.usergroup(
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
    app.usergroup(owner, "POST", "assign_users", "", Some(pairs.clone()))
        .await
        .empty();
    // Again: the pairs exist and are skipped.
    app.usergroup(owner, "POST", "assign_users", "", Some(pairs))
        .await
        .empty();
    // A group's users, by username ascending, each with the assignment id.
    let q = format!("userGroupId={design}");
    let page = app
        .usergroup(owner, "GET", "get_assigned_users", &q, None)
        .await
        .json();
    assert_eq!(
        column(&page, "/user/username"),
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
    let page = app
        .usergroup(
            owner,
            "GET",
            "get_assigned_users",
            &format!("{q}&descending=true&username=BO"),
            None,
        )
        .await
        .json();
    assert_eq!(column(&page, "/user/username"), ["bob@example.com"]);
    let page = app
        .usergroup(
            owner,
            "GET",
            "get_assigned_users",
            &format!("{q}&sortfield=User.UserType"),
            None,
        )
        .await
        .json();
    assert_eq!(
        column(&page, "/user/username"),
        ["bob@example.com", "amy@example.com"]
    );
    // A user's groups, by group name ascending.
    let q = format!("userId={}", uuid(&bob.id));
    let page = app
        .usergroup(&amy, "GET", "get_assigned_usergroups", &q, None)
        .await
        .json();
    assert_eq!(column(&page, "/userGroup/name"), ["Design", "ops"]);
    let page = app
        .usergroup(
            owner,
            "GET",
            "get_assigned_usergroups",
            &format!("{q}&name=OP"),
            None,
        )
        .await
        .json();
    assert_eq!(column(&page, "/userGroup/name"), ["ops"]);
    // Unassign by the assignment's own id.
    let id = page["data"][0]["id"].as_str().unwrap().to_string();
    app.usergroup(&bob, "DELETE", "unassign_user", &format!("id={id}"), None)
        .await
        .refused("ACCESS");
    app.usergroup(owner, "DELETE", "unassign_user", &format!("id={id}"), None)
        .await
        .empty();
    app.usergroup(owner, "DELETE", "unassign_user", &format!("id={id}"), None)
        .await
        .refused("NOT_FOUND");
    let page = app
        .usergroup(owner, "GET", "get_assigned_usergroups", &q, None)
        .await
        .json();
    assert_eq!(column(&page, "/userGroup/name"), ["Design"]);
    // Assigned again, the pair is a new assignment: the old id names
    // nothing, and removing by it leaves the new one.
    let pair = json!([{"userId": uuid(&bob.id), "userGroupId": ops}]);
    app.usergroup(owner, "POST", "assign_users", "", Some(pair))
        .await
        .empty();
    app.usergroup(owner, "DELETE", "unassign_user", &format!("id={id}"), None)
        .await
        .refused("NOT_FOUND");
    let page = app
        .usergroup(owner, "GET", "get_assigned_usergroups", &q, None)
        .await
        .json();
    assert_eq!(column(&page, "/userGroup/name"), ["Design", "ops"]);
    let id = page["data"][1]["id"].as_str().unwrap().to_string();
    app.usergroup(owner, "DELETE", "unassign_user", &format!("id={id}"), None)
        .await
        .empty();
    // With details: each group's users inline, projects and drives empty.
    let page = app
        .usergroup(owner, "GET", "get_all_with_details", "", None)
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
    app.usergroup(
        owner,
        "GET",
        "get_assigned_users",
        &format!("userGroupId={nobody}"),
        None,
    )
    .await
    .refused("NOT_FOUND");
    app.usergroup(owner, "GET", "get_assigned_users", "", None)
        .await
        .refused("INVALID");
    app.usergroup(owner, "GET", "get_assigned_usergroups", "userId=nope", None)
        .await
        .refused("INVALID");
    app.usergroup(
        owner,
        "POST",
        "assign_users",
        "",
        Some(json!([{"userId": nobody, "userGroupId": design}])),
    )
    .await
    .refused("NOT_FOUND");
    app.usergroup(
        &bob,
        "POST",
        "assign_users",
        "",
        Some(json!([{"userId": uuid(&bob.id), "userGroupId": ops}])),
    )
    .await
    .refused("ACCESS");
    let a = app
        .usergroup(
            owner,
            "POST",
            "assign_users",
            "",
            Some(json!({"userId": "x"})),
        )
        .await;
    assert_eq!(a.status.as_u16(), 400);
}

#[tokio::test]
async fn unassign_by_id_never_removes_an_assignment_made_again_meanwhile() {
    let (app, table) = faulty_app().await;
    let owner = &app.owner;
    let bob = app.member("bob@example.com", "user").await;
    let group = app
        .usergroup(owner, "POST", "insert", "", Some(json!({"name": "Crew"})))
        .await
        .json();
    let gid = group["id"].as_str().unwrap();
    let pair = json!([{"userId": uuid(&bob.id), "userGroupId": gid}]);
    app.usergroup(owner, "POST", "assign_users", "", Some(pair))
        .await
        .empty();
    let q = format!("userGroupId={gid}");
    let page = app
        .usergroup(owner, "GET", "get_assigned_users", &q, None)
        .await
        .json();
    let old = page["data"][0]["id"].as_str().unwrap().to_string();
    // Between the lookup of the old id and the delete, another request
    // unassigns the pair and assigns it again: a new assignment, a new id.
    let account = app.as_owner("account/get", json!({})).await.ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let gid_native = roster_core::domain::GroupId::parse(gid).unwrap();
    let key = Key::new(
        format!("ACCT#{account}"),
        format!("MEMBER#{gid_native}#{}", bob.id),
    );
    let renewed = roster_core::domain::MembershipId::new();
    table.interleave_before_write_to(
        key.clone(),
        vec![Op::update(key).set("id", renewed.to_string())],
    );
    app.usergroup(owner, "DELETE", "unassign_user", &format!("id={old}"), None)
        .await
        .refused("NOT_FOUND");
    let page = app
        .usergroup(owner, "GET", "get_assigned_users", &q, None)
        .await
        .json();
    assert_eq!(page["data"][0]["id"], renewed.uuid());
    assert_eq!(page["total"], 1);
}
