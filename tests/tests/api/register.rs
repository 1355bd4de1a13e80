//! Open registration proves the mailbox before anything exists, and tells
//! nobody whether an e-mail is taken.

use roster_tests::app::{token_of, Options, TestApp, OWNER_EMAIL, PASSWORD};
use serde_json::json;

async fn open() -> TestApp {
    TestApp::with(Options {
        open_registration: true,
        ..Options::default()
    })
    .await
}

fn register(email: &str, name: &str) -> serde_json::Value {
    json!({"register": true, "email": email, "password": PASSWORD, "accountName": name})
}

#[tokio::test]
async fn registration_is_closed_by_default() {
    let app = TestApp::new().await;
    app.call("user/login", None, register("new@example.com", "New"))
        .await
        .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn registering_mails_a_link_and_the_account_exists_once_it_is_followed() {
    let app = open().await;
    let r = app
        .call("user/login", None, register("new@example.com", "Newco"))
        .await;
    assert_eq!(r.status.as_u16(), 202, "{}", r.body);
    assert_eq!(r.body, json!({}));
    // Nothing exists yet: no login for that e-mail.
    app.login("new@example.com", PASSWORD)
        .await
        .err(401, "UNAUTHENTICATED");
    let link = app
        .link_from_mail("new@example.com", "/signup?token=")
        .expect("a registration mail");
    assert!(
        link.starts_with("http://roster.test/signup?token="),
        "{link}"
    );
    let token = token_of(&link);
    let info = app
        .call("user/signupInfo", None, json!({"token": token}))
        .await
        .ok();
    assert_eq!(info["email"], "new@example.com");
    assert_eq!(info["accountName"], "Newco");
    assert_eq!(info["role"], "owner");
    let v = app
        .call(
            "user/signup",
            None,
            json!({"token": token, "first": "Nia", "last": "New", "password": "nia's own passphrase"}),
        )
        .await
        .ok();
    assert_eq!(v["user"]["role"], "owner");
    assert_eq!(v["user"]["first"], "Nia");
    assert_eq!(v["account"]["name"], "Newco");
    assert_eq!(v["account"]["plan"], "free");
    let owner_account = app.as_owner("account/get", json!({})).await.ok()["id"].clone();
    assert_ne!(v["account"]["id"], owner_account);
    // The password chosen at signup is the one; the link works once.
    let nia = app
        .logged_in("new@example.com", "nia's own passphrase")
        .await;
    app.as_member(&nia, "user/info", json!({})).await.ok();
    app.call(
        "user/signup",
        None,
        json!({"token": token, "password": "nia's own passphrase"}),
    )
    .await
    .err(400, "TOKEN_INVALID");
}

#[tokio::test]
async fn a_taken_email_reads_exactly_like_a_new_one() {
    let app = open().await;
    let taken = app
        .call("user/login", None, register(OWNER_EMAIL, "Copycat"))
        .await;
    let new = app
        .call("user/login", None, register("fresh@example.com", "Fresh"))
        .await;
    assert_eq!((taken.status, &taken.body), (new.status, &new.body));
    assert_eq!(taken.status.as_u16(), 202);
    // The owner of the taken address is told, with no link that creates anything.
    assert_eq!(app.mails_to(OWNER_EMAIL), 1);
    assert!(app.link_from_mail(OWNER_EMAIL, "/signup?token=").is_none());
    assert!(app
        .link_from_mail("fresh@example.com", "/signup?token=")
        .is_some());
    // And the existing user is untouched.
    app.login(OWNER_EMAIL, PASSWORD).await.ok();
}

#[tokio::test]
async fn nobody_can_squat_an_address_they_cannot_read() {
    let app = open().await;
    // A squatter registers someone else's address and never sees the link.
    app.call("user/login", None, register("victim@example.com", "Squat"))
        .await;
    app.login("victim@example.com", PASSWORD)
        .await
        .err(401, "UNAUTHENTICATED");
    // The address's owner registers and finishes from the link they receive.
    app.call("user/login", None, register("victim@example.com", "Mine"))
        .await;
    let token = app.invite_token_from_mail("victim@example.com").unwrap();
    let v = app
        .call(
            "user/signup",
            None,
            json!({"token": token, "password": "the victim's passphrase"}),
        )
        .await
        .ok();
    assert_eq!(v["account"]["name"], "Mine");
}

#[tokio::test]
async fn registration_mails_are_limited_per_address_and_the_answer_does_not_change() {
    let app = open().await;
    for _ in 0..5 {
        let r = app
            .call("user/login", None, register("flood@example.com", "Flood"))
            .await;
        assert_eq!(r.status.as_u16(), 202, "{}", r.body);
    }
    assert_eq!(app.mails_to("flood@example.com"), 3);
}

#[tokio::test]
async fn registration_validates_its_input() {
    let app = open().await;
    let weak = json!({"register": true, "email": "x@example.com",
                      "password": "short", "accountName": "X"});
    let r = app.call("user/login", None, weak).await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "password");
    let nameless = json!({"register": true, "email": "x@example.com",
                          "password": PASSWORD, "accountName": " "});
    let r = app.call("user/login", None, nameless).await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "accountName");
    assert_eq!(app.mails_to("x@example.com"), 0);
}

#[tokio::test]
async fn registered_accounts_start_on_the_configured_plan() {
    let custom = r#"{"seats": {"admin": 1, "user": 4, "viewer": 0}, "groups": 2}"#;
    for (plan, name, users) in [("business", "business", 1000), (custom, "custom", 4)] {
        let app = TestApp::with(Options {
            open_registration: true,
            registration_plan: Some(plan.into()),
            ..Options::default()
        })
        .await;
        let r = app
            .call("user/login", None, register("new@example.com", "Newco"))
            .await;
        assert_eq!(r.status.as_u16(), 202, "{}", r.body);
        let link = app
            .link_from_mail("new@example.com", "/signup?token=")
            .expect("a registration mail");
        let body = json!({"token": token_of(&link), "password": "nia's own passphrase"});
        let v = app.call("user/signup", None, body).await.ok();
        assert_eq!(v["account"]["plan"], name, "{v}");
        let nia = app
            .logged_in("new@example.com", "nia's own passphrase")
            .await;
        let usage = app.as_member(&nia, "account/usage", json!({})).await.ok();
        assert_eq!(usage["seats"]["user"]["limit"], users, "{usage}");
    }
}
