//! The replaced APIs: following an invite (`signupinfo`, `signup`) and an
//! admin inviting and editing users (`insert_user`, `edit_user`), hosted and
//! local, with their shapes, mappings and refusals.

use roster_tests::app::{Options, TestApp, PASSWORD};
use roster_tests::compat::{uuid, Answer};
use serde_json::{json, Value};

async fn insert(app: &TestApp, local: bool, token: &str, body: Value) -> Answer {
    if local {
        let uri = format!("/user/insert_user?token={token}");
        app.send("POST", &uri, None, Some(body)).await
    } else {
        app.send("POST", "/api/v1/user/insert_user", Some(token), Some(body))
            .await
    }
}

fn new_user(email: &str, user_type: u32) -> Value {
    json!({"username": email, "email": email, "firstname": "New", "lastname": "User",
           "userType": user_type})
}

#[tokio::test]
async fn insert_user_invites_on_both_apis() {
    let app = TestApp::new().await;
    for (local, email) in [(false, "newuser@example.com"), (true, "user@example.com")] {
        let v = insert(&app, local, &app.owner.token, new_user(email, 32))
            .await
            .json();
        assert_eq!(v["username"], email);
        assert_eq!(v["email"], email);
        assert_eq!(
            (v["status"].clone(), v["userType"].clone()),
            (json!(4), json!(32))
        );
        assert_eq!(
            (v["owner"].clone(), v["mfa"].clone()),
            (json!(false), json!(false))
        );
        assert!(v["id"].is_string() && v["createDate"].is_string());
        let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "createDate",
                "deleted",
                "email",
                "firstname",
                "id",
                "lastname",
                "mfa",
                "owner",
                "status",
                "userType",
                "username"
            ]
        );
        assert!(app.invite_token_from_mail(email).is_some());
        let native = app.as_owner("user/get", json!({"email": email})).await.ok();
        assert_eq!(
            (native["state"].clone(), native["role"].clone()),
            (json!("pending"), json!("user"))
        );
    }
    for (user_type, role) in [(16, "admin"), (64, "viewer")] {
        let email = format!("t{user_type}@example.com");
        insert(&app, false, &app.owner.token, new_user(&email, user_type))
            .await
            .json();
        let native = app.as_owner("user/get", json!({"email": email})).await.ok();
        assert_eq!(native["role"], role);
    }
}

#[tokio::test]
async fn insert_user_refuses_as_a_single_invite_would() {
    let plan = r#"{"seats": {"admin": 2, "user": 1, "viewer": 1}, "groups": 1}"#;
    let app = TestApp::with(Options {
        plan,
        ..Options::default()
    })
    .await;
    let owner = app.owner.token.clone();
    let refused = |a: Answer, code: &str, field: &str| {
        let body = a.refused(code);
        if !field.is_empty() {
            assert!(body["errors"][field][0].is_string(), "{body}");
        }
    };
    refused(
        insert(
            &app,
            false,
            &owner,
            json!({"username": "a@example.com", "email": "b@example.com", "userType": 32}),
        )
        .await,
        "INVALID",
        "email",
    );
    refused(
        insert(&app, false, &owner, new_user("not-an-email", 32)).await,
        "INVALID",
        "username",
    );
    for bad in [0, 1, 48, 112, 128] {
        refused(
            insert(&app, false, &owner, new_user("a@example.com", bad)).await,
            "INVALID",
            "userType",
        );
    }
    // The local API's 50-character limits; the hosted one takes 100.
    let long = "x".repeat(51);
    let mut body = new_user("a@example.com", 32);
    body["firstname"] = json!(long);
    refused(
        insert(&app, true, &owner, body.clone()).await,
        "INVALID",
        "firstname",
    );
    let email51 = format!("{}@example.com", "y".repeat(39));
    refused(
        insert(&app, true, &owner, new_user(&email51, 64)).await,
        "INVALID",
        "username",
    );
    insert(&app, false, &owner, body).await.json();
    // The one user seat is gone now: LIMIT. A member again: DUPLICATE.
    refused(
        insert(&app, false, &owner, new_user("b@example.com", 32)).await,
        "LIMIT",
        "",
    );
    refused(
        insert(&app, false, &owner, new_user("a@example.com", 64)).await,
        "DUPLICATE",
        "",
    );
    // Not JSON, a wrong type: 400.
    let a = insert(
        &app,
        false,
        &owner,
        json!({"username": "c@example.com", "userType": "32"}),
    )
    .await;
    assert_eq!(a.status, 400, "{}", a.text);
    // Not an admin: ACCESS.
    let viewer = app.member("v@example.com", "viewer").await;
    refused(
        insert(&app, true, &viewer.token, new_user("c@example.com", 64)).await,
        "ACCESS",
        "",
    );
}

#[tokio::test]
async fn signupinfo_reads_the_invite_and_signup_finishes_it() {
    let app = TestApp::new().await;
    let invited = insert(
        &app,
        false,
        &app.owner.token,
        new_user("new@example.com", 32),
    )
    .await
    .json();
    let token = app.invite_token_from_mail("new@example.com").unwrap();
    let info_uri = format!("/api/v1/user/signupinfo?token={token}");
    let info = || app.send("GET", &info_uri, None, None);
    // Read twice: never spent.
    for _ in 0..2 {
        let v = info().await.json();
        assert_eq!(v["id"], invited["id"]);
        assert_eq!(
            (v["status"].clone(), v["userType"].clone()),
            (json!(4), json!(32))
        );
        assert_eq!(v["username"], "new@example.com");
    }
    let v = app
        .send(
            "POST",
            "/api/v1/user/signup",
            None,
            Some(json!({"firstname": "Nia", "lastname": "Ward", "password": PASSWORD, "token": token})),
        )
        .await
        .json();
    assert_eq!(v["id"], invited["id"]);
    assert_eq!(
        (v["status"].clone(), v["firstname"].clone()),
        (json!(1), json!("Nia"))
    );
    app.logged_in("new@example.com", PASSWORD).await;
    // Spent now; unknown; missing.
    info().await.refused("TOKEN");
    app.send("GET", "/api/v1/user/signupinfo?token=nope", None, None)
        .await
        .refused("TOKEN");
    app.send("GET", "/api/v1/user/signupinfo", None, None)
        .await
        .refused("INVALID");
    app.send(
        "POST",
        "/api/v1/user/signup",
        None,
        Some(json!({"firstname": "A", "lastname": "B", "password": PASSWORD, "token": token})),
    )
    .await
    .refused("TOKEN");
}

#[tokio::test]
async fn hosted_edit_user_changes_the_type_only() {
    let app = TestApp::new().await;
    let bob = app.member("bob@example.com", "user").await;
    let edit = |id: &str, user_type: u32| {
        app.send(
            "PUT",
            "/api/v1/user/edit_user",
            Some(&app.owner.token),
            Some(json!({"id": id, "userType": user_type})),
        )
    };
    let v = edit(&bob.id, 64).await.json();
    assert_eq!(
        (v["userType"].clone(), v["id"].clone()),
        (json!(64), json!(uuid(&bob.id)))
    );
    let native = app.as_owner("user/get", json!({"id": bob.id})).await.ok();
    assert_eq!(native["role"], "viewer");
    edit(&app.owner.id, 32).await.refused("ACCESS");
    edit("01J00000000000000000000000", 32)
        .await
        .refused("NOT_FOUND");
    edit("not-an-id", 32).await.refused("INVALID");
    edit(&bob.id, 3).await.refused("INVALID");
    let a = app
        .send(
            "PUT",
            "/api/v1/user/edit_user",
            Some(&bob.token),
            Some(json!({"id": app.owner.id, "userType": 16})),
        )
        .await;
    a.refused("ACCESS");
}

#[tokio::test]
async fn local_edit_user_takes_a_whole_user_and_keeps_what_it_omits() {
    let app = TestApp::new().await;
    let bob = app.member("bob@example.com", "user").await;
    let uri = format!("/user/edit_user?token={}", app.owner.token);
    let edit = |body: Value| app.send("PUT", &uri, None, Some(body));
    // Names only: type and status stay.
    let v = edit(json!({"id": bob.id, "firstname": "Robert"}))
        .await
        .json();
    assert_eq!(
        (
            v["firstname"].clone(),
            v["lastname"].clone(),
            v["userType"].clone(),
            v["status"].clone()
        ),
        (json!("Robert"), json!("User"), json!(32), json!(1))
    );
    // A whole object as read, with its status Inactive: disabled.
    let mut whole = v.clone();
    whole["status"] = json!(2);
    whole["userType"] = json!(64);
    let v = edit(whole).await.json();
    assert_eq!(
        (v["status"].clone(), v["userType"].clone()),
        (json!(2), json!(64))
    );
    let native = app.as_owner("user/get", json!({"id": bob.id})).await.ok();
    assert_eq!(
        (native["state"].clone(), native["role"].clone()),
        (json!("disabled"), json!("viewer"))
    );
    app.login("bob@example.com", PASSWORD)
        .await
        .err(401, "UNAUTHENTICATED");
    let v = edit(json!({"id": bob.id, "status": 1})).await.json();
    assert_eq!(v["status"], 1);
    // A bad value anywhere: nothing is written.
    let a = edit(json!({"id": bob.id, "firstname": "Bo", "lastname": "x".repeat(51)})).await;
    a.refused("INVALID");
    let a = edit(json!({"id": bob.id, "firstname": "Bo", "status": 8})).await;
    a.refused("INVALID");
    let a = edit(json!({"id": bob.id, "firstname": "Bo", "userType": 5})).await;
    a.refused("INVALID");
    let native = app.as_owner("user/get", json!({"id": bob.id})).await.ok();
    assert_eq!(native["first"], "Robert");
    // The owner stays the owner; its own object edits its names.
    let me = edit(json!({"id": app.owner.id, "userType": 16, "firstname": "Olive"}))
        .await
        .json();
    assert_eq!(
        (me["owner"].clone(), me["firstname"].clone()),
        (json!(true), json!("Olive"))
    );
    edit(json!({"id": app.owner.id, "userType": 32}))
        .await
        .refused("ACCESS");
}
