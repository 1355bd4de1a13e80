//! Plans and seats: per-kind limits, custom plans, plan changes, usage, and
//! accounts stored before plans had kinds.

use roster_core::ports::{Item, Op};
use roster_core::repo::keys;
use roster_tests::app::{Options, TestApp};
use serde_json::{json, Value};

const CUSTOM: &str = r#"{"seats": {"admin": 2, "user": 2, "viewer": 1}, "groups": 2, "features": {"storageGb": 5, "sso": true}}"#;

async fn custom() -> TestApp {
    TestApp::with(Options {
        plan: CUSTOM,
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn usage_reports_a_custom_plan_per_kind() {
    let app = custom().await;
    let v = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(
        v,
        json!({
            "plan": "custom",
            "seats": {
                "admin": {"limit": 2, "used": 1, "remaining": 1},
                "user": {"limit": 2, "used": 0, "remaining": 2},
                "viewer": {"limit": 1, "used": 0, "remaining": 1},
            },
            "groups": {"limit": 2, "used": 0, "remaining": 2},
            "features": {"storageGb": 5, "sso": true},
        })
    );
    // Members read it too.
    let ann = app.member("ann@example.com", "viewer").await;
    let v = app.as_member(&ann, "account/usage", json!({})).await.ok();
    assert_eq!(v["seats"]["viewer"]["remaining"], 0);
}

#[tokio::test]
async fn each_kind_fills_on_its_own_and_frees_on_removal() {
    let app = custom().await;
    app.invite("v1@example.com", "viewer").await;
    let r = app
        .as_owner(
            "user/invite",
            json!({"email": "v2@example.com", "role": "viewer"}),
        )
        .await;
    r.err(409, "LIMIT_REACHED");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("viewer"));
    app.invite("a1@example.com", "admin").await;
    app.as_owner(
        "user/invite",
        json!({"email": "a2@example.com", "role": "admin"}),
    )
    .await
    .err(409, "LIMIT_REACHED");
    // Users still fit.
    let u = app.invite("u1@example.com", "user").await;
    // A role change moves the seat: no viewer seat is free.
    app.as_owner("user/updateRole", json!({"id": u["id"], "role": "viewer"}))
        .await
        .err(409, "LIMIT_REACHED");
    app.as_owner("user/remove", json!({"email": "v1@example.com"}))
        .await
        .ok();
    app.as_owner("user/updateRole", json!({"id": u["id"], "role": "viewer"}))
        .await
        .ok();
    let v = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(v["seats"]["viewer"]["used"], 1);
    assert_eq!(v["seats"]["user"]["used"], 0);
}

#[tokio::test]
async fn only_the_owner_changes_the_plan_and_a_lower_plan_takes_nothing_away() {
    let app = custom().await;
    let adm = app.member("adm@example.com", "admin").await;
    app.member("u1@example.com", "user").await;
    app.member("u2@example.com", "user").await;
    app.as_member(&adm, "account/update", json!({"plan": "team"}))
        .await
        .err(403, "FORBIDDEN");
    // Admins still rename.
    app.as_member(&adm, "account/update", json!({"name": "Acme 2"}))
        .await
        .ok();
    let lower = json!({"seats": {"admin": 2, "user": 1, "viewer": 1}, "groups": 2});
    let v = app
        .as_owner("account/update", json!({"plan": lower}))
        .await
        .ok();
    assert_eq!(v["plan"], "custom");
    assert_eq!(
        v["seats"]["user"],
        json!({"limit": 1, "used": 2, "remaining": 0})
    );
    assert_eq!(v["features"], json!({}));
    // Both users stay; a new one is refused.
    let found = app
        .as_owner("user/find", json!({"role": "user"}))
        .await
        .ok();
    assert_eq!(found["data"].as_array().unwrap().len(), 2);
    app.as_owner(
        "user/invite",
        json!({"email": "u3@example.com", "role": "user"}),
    )
    .await
    .err(409, "LIMIT_REACHED");
    // Raised again, the counter is right.
    let v = app
        .as_owner("account/update", json!({"plan": "team"}))
        .await
        .ok();
    assert_eq!(v["plan"], "team");
    assert_eq!(
        v["seats"]["user"],
        json!({"limit": 50, "used": 2, "remaining": 48})
    );
}

#[tokio::test]
async fn bad_plans_are_invalid() {
    let app = TestApp::new().await;
    for bad in [
        json!("gold"),
        json!({"seats": {"admin": 0, "user": 1, "viewer": 1}, "groups": 1}),
        json!({"seats": {"admin": 1, "user": 1}, "groups": 1}),
        json!({"seats": {"admin": 1, "user": 1, "viewer": 1}, "groups": -1}),
        json!({"seats": {"admin": 1, "user": 1, "viewer": 1}, "groups": 1, "features": {"x": "y"}}),
        json!(3),
    ] {
        let r = app.as_owner("account/update", json!({"plan": bad})).await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "plan");
    }
}

#[tokio::test]
async fn an_account_stored_with_one_seat_count_is_migrated() {
    let app = TestApp::new().await;
    app.member("ann@example.com", "user").await;
    app.invite("bob@example.com", "viewer").await;
    // Write the account as roster stored it before plans had kinds.
    let aid: roster_core::domain::AccountId =
        serde_json::from_value(app.as_owner("account/get", json!({})).await.ok()["id"].clone())
            .unwrap();
    let mut item = Item::new();
    let key = keys::account(aid);
    for (k, v) in [
        ("pk", json!(key.pk)),
        ("sk", json!(key.sk)),
        ("id", json!(aid.to_string())),
        ("name", json!("Acme")),
        ("plan", json!("team")),
        ("seats", json!(47)),
        ("created", json!(1)),
        ("updated", json!(1)),
    ] {
        item.insert(k.into(), v);
    }
    app.roster
        .table
        .transact(vec![Op::put(item)], "legacy")
        .await
        .unwrap();
    // A write meets it first: the invite migrates it, then takes its seat.
    app.invite("cy@example.com", "user").await;
    let v = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(v["plan"], "team");
    assert_eq!(v["seats"]["admin"]["used"], 1);
    assert_eq!(v["seats"]["user"]["used"], 2);
    assert_eq!(v["seats"]["viewer"]["used"], 1);
    assert_eq!(v["groups"]["used"], 0);
    let stored: Value = app
        .roster
        .table
        .get(&key, true)
        .await
        .unwrap()
        .map(Value::Object)
        .unwrap();
    assert!(stored.get("seats").is_none(), "{stored}");
}
