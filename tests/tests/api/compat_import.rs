//! The local API's `import_users`: entries of a user and its groups (by id,
//! else by name) as roster's `group/import`, a result per entry.

use roster_tests::app::TestApp;
use roster_tests::compat::{column, uuid};
use serde_json::json;

#[tokio::test]
async fn import_users_maps_entries_to_groups_by_id_else_name() {
    let app = TestApp::new().await;
    let owner = &app.owner;
    let design = app
        .usergroup(
            owner,
            "POST",
            "insert",
            "",
            Some(json!({"name": "Design Team"})),
        )
        .await
        .json();
    let body = json!([
        {
            "user": {"username": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace"},
            "userGroups": [{"id": design["id"], "name": "ignored when the id names a group"}, {"name": "New Crew"}]
        },
        {"user": {"username": "not-an-email"}, "userGroups": []},
        {"user": "malformed"}
    ]);
    let v = app
        .usergroup(owner, "POST", "import_users", "", Some(body))
        .await
        .json();
    let results = v["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], "invited");
    assert!(results[0]["userId"].as_str().unwrap().len() == 36);
    assert_eq!(results[1]["status"], "failed");
    assert_eq!(results[1]["error"]["errorCode"], "INVALID");
    assert_eq!(results[2]["error"]["errorCode"], "BAD_REQUEST");
    // The new user: pending, type user, in both groups (one created).
    let ada = app
        .as_owner("user/get", json!({"email": "ada@example.com"}))
        .await
        .ok();
    assert_eq!(
        (ada["state"].clone(), ada["role"].clone()),
        (json!("pending"), json!("user"))
    );
    assert!(app.invite_token_from_mail("ada@example.com").is_some());
    let q = format!("userId={}", uuid(ada["id"].as_str().unwrap()));
    let page = app
        .usergroup(owner, "GET", "get_assigned_usergroups", &q, None)
        .await
        .json();
    assert_eq!(
        column(&page, "/userGroup/name"),
        ["Design Team", "New Crew"]
    );
    // A group id that names no group, without a name: that row fails alone.
    let nobody = "00000000-0000-0000-0000-000000000000";
    let body = json!([{"user": {"username": "bo@example.com"}, "userGroups": [{"id": nobody}]}]);
    let v = app
        .usergroup(owner, "POST", "import_users", "", Some(body))
        .await
        .json();
    assert_eq!(v["results"][0]["error"]["errorCode"], "NOT_FOUND");
    // The same import twice changes nothing the second time.
    let again =
        json!([{"user": {"username": "ada@example.com"}, "userGroups": [{"name": "New Crew"}]}]);
    let v = app
        .usergroup(owner, "POST", "import_users", "", Some(again))
        .await
        .json();
    assert_eq!(v["results"][0]["status"], "existing");
    // Admins only.
    let bob = app.member("bob@example.com", "user").await;
    let row = json!([{"user": {"username": "cy@example.com"}, "userGroups": []}]);
    app.usergroup(&bob, "POST", "import_users", "", Some(row))
        .await
        .refused("ACCESS");
}
