//! Operator commands: a plan changed without an account, by invoking the
//! write function directly (the payload `roster_lambda::run` hands to
//! `roster_api::operator`).

use roster_api::operator;
use roster_tests::app::{other_account, TestApp};
use serde_json::{json, Value};

async fn account_id(app: &TestApp) -> String {
    let v = app.as_owner("account/get", json!({})).await.ok();
    v["id"].as_str().unwrap().to_string()
}

async fn run(app: &TestApp, command: Value) -> Value {
    let text = command.to_string();
    assert!(operator::is_command(&text));
    operator::run(&app.roster, &text).await
}

#[tokio::test]
async fn an_operator_changes_any_accounts_plan_and_is_audited() {
    let app = TestApp::new().await;
    let boss = other_account(&app).await;
    let aid = account_id(&app).await;
    let plan = json!({"seats": {"admin": 2, "user": 1, "viewer": 0}, "groups": 1,
                      "features": {"sso": true}});
    let v = run(
        &app,
        json!({"operator": "account/setPlan", "accountId": aid, "plan": plan}),
    )
    .await;
    assert_eq!(v["account"]["id"], aid.as_str(), "{v}");
    assert_eq!(v["account"]["plan"], "custom");
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["seats"]["user"]["limit"], 1);
    assert_eq!(usage["features"]["sso"], true);
    // The new limit holds at once.
    app.invite("ann@example.com", "user").await;
    app.as_owner(
        "user/invite",
        json!({"email": "bob@example.com", "role": "user"}),
    )
    .await
    .err(409, "LIMIT_REACHED");
    // The other account is untouched.
    let theirs = app.as_member(&boss, "account/usage", json!({})).await.ok();
    assert_eq!(theirs["plan"], "team");
    // The log names the operator.
    let log = app
        .as_owner("account/audit", json!({"actor": "operator"}))
        .await
        .ok();
    let entry = &log["data"][0];
    assert_eq!(entry["action"], "account/update");
    assert_eq!(entry["actor"], json!({"id": "operator", "email": ""}));
    assert_eq!(entry["detail"]["plan"], "custom");
    // And a named plan, read back.
    let v = run(
        &app,
        json!({"operator": "account/setPlan", "accountId": aid, "plan": "business"}),
    )
    .await;
    assert_eq!(v["account"]["plan"], "business");
    let v = run(&app, json!({"operator": "account/get", "accountId": aid})).await;
    assert_eq!(v["account"]["seats"]["user"]["limit"], 1000);
}

#[tokio::test]
async fn bad_commands_get_the_error_model() {
    let app = TestApp::new().await;
    let aid = account_id(&app).await;
    let code = |v: &Value| v["error"]["code"].as_str().unwrap_or("").to_string();
    let unknown = "01J00000000000000000000000";
    let v = run(
        &app,
        json!({"operator": "account/get", "accountId": unknown}),
    )
    .await;
    assert_eq!(code(&v), "NOT_FOUND", "{v}");
    let v = run(
        &app,
        json!({"operator": "account/setPlan", "accountId": unknown, "plan": "team"}),
    )
    .await;
    assert_eq!(code(&v), "NOT_FOUND", "{v}");
    let v = run(
        &app,
        json!({"operator": "account/setPlan", "accountId": aid, "plan": "gold"}),
    )
    .await;
    assert_eq!(code(&v), "INVALID", "{v}");
    let v = run(
        &app,
        json!({"operator": "account/setPlan", "accountId": aid}),
    )
    .await;
    assert_eq!(code(&v), "INVALID", "{v}");
    let v = run(&app, json!({"operator": "user/remove", "accountId": aid})).await;
    assert_eq!(code(&v), "BAD_REQUEST", "{v}");
    let v = run(&app, json!({"operator": "account/get", "accountId": "x"})).await;
    assert_eq!(code(&v), "INVALID", "{v}");
    let v = run(
        &app,
        json!({"operator": "account/get", "accountId": aid, "x": 1}),
    )
    .await;
    assert_eq!(code(&v), "BAD_REQUEST", "{v}");
    // Nothing changed.
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["plan"], "team");
}

#[test]
fn api_gateway_events_are_not_commands() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../events");
    for file in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        assert!(!operator::is_command(&text));
    }
    // A client's body arrives inside `body`, never at the top.
    let event = json!({"version": "2.0", "body": "{\"operator\": \"account/setPlan\"}"});
    assert!(!operator::is_command(&event.to_string()));
}
