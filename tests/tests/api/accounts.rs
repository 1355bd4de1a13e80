//! account/get and account/update.

use roster_tests::app::TestApp;
use serde_json::json;

#[tokio::test]
async fn account_get_shows_plan_and_seats() {
    let app = TestApp::new().await;
    let v = app.as_owner("account/get", json!({})).await.ok();
    assert_eq!(v["name"], "Acme");
    assert_eq!(v["plan"], "team");
    assert_eq!(
        v["seats"],
        json!({
            "admin": {"limit": 5, "used": 1, "remaining": 4},
            "user": {"limit": 50, "used": 0, "remaining": 50},
            "viewer": {"limit": 100, "used": 0, "remaining": 100},
        })
    );
    assert_eq!(
        v["groups"],
        json!({"limit": 20, "used": 0, "remaining": 20})
    );
    assert_eq!(v["features"], json!({"storageGb": 100, "sso": false}));
    let ann = app.member("ann@example.com", "viewer").await;
    let v = app.as_member(&ann, "account/get", json!({})).await.ok();
    assert_eq!(v["seats"]["viewer"]["used"], 1);
}

#[tokio::test]
async fn admins_rename_the_account() {
    let app = TestApp::new().await;
    let adm = app.member("adm@example.com", "admin").await;
    let v = app
        .as_member(&adm, "account/update", json!({"name": " Acme Ltd "}))
        .await
        .ok();
    assert_eq!(v["name"], "Acme Ltd");
    let info = app.as_owner("user/info", json!({})).await.ok();
    assert_eq!(info["accountName"], "Acme Ltd");
}

#[tokio::test]
async fn account_names_are_validated() {
    let app = TestApp::new().await;
    for bad in ["", "   ", &"x".repeat(101)] {
        let r = app.as_owner("account/update", json!({"name": bad})).await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "name");
    }
    app.as_owner("account/update", json!({"plan": "gold"}))
        .await
        .err(400, "INVALID");
    app.as_owner("account/update", json!({"seats": 3}))
        .await
        .err(400, "BAD_REQUEST");
}
