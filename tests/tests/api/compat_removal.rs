//! The replaced APIs removing users (`delete_user?id=`) and sending invites
//! again (`resend_user_email`): the hosted one unauthenticated, answering
//! the same for every address and mailing at most 3 times an hour.

use roster_tests::app::{Options, TestApp, PASSWORD};
use roster_tests::compat::uuid;
use serde_json::json;

async fn package(app: &TestApp) -> serde_json::Value {
    let uri = "/api/v1/user/package_inquiry";
    app.send("GET", uri, Some(&app.owner.token), None)
        .await
        .json()
}

#[tokio::test]
async fn delete_user_frees_everything_and_keeps_a_tombstone() {
    let app = TestApp::with(Options {
        plan: "free",
        ..Options::default()
    })
    .await;
    let bob = app.member("bob@example.com", "user").await;
    let group = app
        .as_owner("group/create", json!({"name": "Crew"}))
        .await
        .ok();
    app.as_owner(
        "group/assign",
        json!({"assignments": [{"userId": bob.id, "groupId": group["id"]}]}),
    )
    .await
    .ok();
    let before = package(&app).await["creativeUsers"].as_i64().unwrap();
    let delete = |id: String, local: bool| {
        let app = &app;
        async move {
            if local {
                let uri = format!("/user/delete_user?token={}&id={id}", app.owner.token);
                app.send("DELETE", &uri, None, None).await
            } else {
                let uri = format!("/api/v1/user/delete_user?id={id}");
                app.send("DELETE", &uri, Some(&app.owner.token), None).await
            }
        }
    };
    // Who may not: a user; nobody removes the owner.
    let uri = format!("/api/v1/user/delete_user?id={}", uuid(&app.owner.id));
    app.send("DELETE", &uri, Some(&bob.token), None)
        .await
        .refused("ACCESS");
    delete(uuid(&app.owner.id), false).await.refused("ACCESS");
    delete(uuid(&bob.id), false).await.empty();
    // Its seat is free, its session dead, its membership gone, its e-mail
    // free for a new invite.
    assert_eq!(package(&app).await["creativeUsers"], before + 1);
    let a = app
        .send("GET", "/api/v1/user/userinfo", Some(&bob.token), None)
        .await;
    assert_eq!(a.status.as_u16(), 401);
    let members = app
        .as_owner("group/members", json!({"groupId": group["id"]}))
        .await
        .ok();
    assert_eq!(members["data"], json!([]));
    assert_eq!(
        app.login("bob@example.com", PASSWORD).await.status.as_u16(),
        401
    );
    app.invite("bob@example.com", "viewer").await;
    // Gone: NOT_FOUND, on both APIs, by either spelling of the id.
    delete(uuid(&bob.id), true).await.refused("NOT_FOUND");
    delete(bob.id.clone(), true).await.refused("NOT_FOUND");
    delete(String::new(), false).await.refused("INVALID");
    delete("nope".into(), true).await.refused("INVALID");
}

#[tokio::test]
async fn hosted_resend_answers_the_same_for_everyone_and_mails_at_most_three_times() {
    let app = TestApp::new().await;
    let resend = |username: &'static str| {
        let app = &app;
        async move {
            app.send(
                "POST",
                "/api/v1/user/resend_user_email",
                None,
                Some(json!({"username": username})),
            )
            .await
        }
    };
    app.invite("pat@example.com", "user").await;
    let first = app.invite_token_from_mail("pat@example.com").unwrap();
    app.member("sam@example.com", "user").await;
    let mails = |who: &'static str| app.mails_to(who);
    let (pat0, sam0) = (mails("pat@example.com"), mails("sam@example.com"));
    // A pending invitee, a member, a stranger, a malformed address: 200, empty.
    for who in [
        "pat@example.com",
        "sam@example.com",
        "nobody@example.com",
        "not an address",
    ] {
        resend(who).await.empty();
    }
    // Only the invitee got a mail: a new link, and the old one is spent.
    assert_eq!(mails("pat@example.com"), pat0 + 1);
    assert_eq!(mails("sam@example.com"), sam0);
    let second = app.invite_token_from_mail("pat@example.com").unwrap();
    assert_ne!(first, second);
    let info = |t: &str| {
        let uri = format!("/api/v1/user/signupinfo?token={t}");
        let app = &app;
        async move { app.send("GET", &uri, None, None).await }
    };
    info(&first).await.refused("TOKEN");
    info(&second).await.json();
    // Two more mails this hour, then none (and still 200).
    for _ in 0..3 {
        resend("PAT@example.com").await.empty();
    }
    assert_eq!(mails("pat@example.com"), pat0 + 3);
    // A malformed body is 400.
    let a = app
        .send(
            "POST",
            "/api/v1/user/resend_user_email",
            None,
            Some(json!({"user": 1})),
        )
        .await;
    assert_eq!(a.status.as_u16(), 400);
}

#[tokio::test]
async fn local_resend_is_an_admins_by_id_or_username() {
    let app = TestApp::new().await;
    let pat = app.invite("pat@example.com", "user").await;
    let bob = app.member("bob@example.com", "user").await;
    let before = app.mails_to("pat@example.com");
    let resend = |token: String, body: serde_json::Value| {
        let app = &app;
        async move {
            let uri = format!("/user/resend_user_email?token={token}");
            app.send("POST", &uri, None, Some(body)).await
        }
    };
    let id = uuid(pat["id"].as_str().unwrap());
    resend(
        app.owner.token.clone(),
        json!({"id": id, "firstname": "Pat"}),
    )
    .await
    .empty();
    resend(
        app.owner.token.clone(),
        json!({"username": "pat@example.com"}),
    )
    .await
    .empty();
    assert_eq!(app.mails_to("pat@example.com"), before + 2);
    resend(bob.token.clone(), json!({"id": id}))
        .await
        .refused("ACCESS");
    // A user who signed up has no invite to send.
    resend(app.owner.token.clone(), json!({"id": uuid(&bob.id)}))
        .await
        .refused("DUPLICATE");
    resend(
        app.owner.token.clone(),
        json!({"username": "who@example.com"}),
    )
    .await
    .refused("NOT_FOUND");
    resend(app.owner.token.clone(), json!({}))
        .await
        .refused("INVALID");
}
