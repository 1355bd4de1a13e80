//! The value rules the OpenAPI document states (`shared/api/src/schema.rs`)
//! read the same in the handlers: what a schema refuses is refused, what it
//! takes is taken, so a client that follows the document is never surprised.

use roster_tests::app::TestApp;
use serde_json::json;

#[tokio::test]
async fn an_id_is_exactly_a_ulid_or_a_uuid() {
    let app = TestApp::new().await;
    let id = app.owner.id.clone();
    app.as_owner("user/get", json!({"id": id})).await.ok();
    let uuid = roster_tests::compat::uuid(&id);
    app.as_owner("user/get", json!({"id": uuid})).await.ok();
    for bad in [
        format!(" {id}"),
        format!("{id}\n"),
        format!("{id}0"),
        "".into(),
    ] {
        let r = app.as_owner("user/get", json!({"id": bad})).await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "id");
    }
}

#[tokio::test]
async fn a_name_is_at_most_100_characters_as_sent_with_no_control_characters() {
    let app = TestApp::new().await;
    let update = |first: String| app.as_owner("user/update", json!({"first": first}));
    let stored = update(format!("  {}  ", "a".repeat(96))).await.ok();
    assert_eq!(stored["first"], "a".repeat(96), "spaces around are trimmed");
    update("a".repeat(100)).await.ok();
    update(format!("{} ", "a".repeat(100)))
        .await
        .err(400, "INVALID");
    // White space around it goes, tabs and a CSV's line end too.
    for padded in ["Ann\r\n", "\tAnn", "Ann\u{85}", "\u{3000}Ann "] {
        assert_eq!(
            update(padded.into()).await.ok()["first"],
            "Ann",
            "{padded:?}"
        );
    }
    for bad in ["An\nn", "A\tnn", "A\u{7}nn", "Ann\u{7}"] {
        let r = update(bad.into()).await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "first", "{bad:?}");
    }
}

#[tokio::test]
async fn a_group_name_needs_more_than_spaces() {
    let app = TestApp::new().await;
    for bad in ["", "   ", "\u{3000}"] {
        app.as_owner("group/create", json!({"name": bad}))
            .await
            .err(400, "INVALID");
    }
    app.as_owner("group/create", json!({"name": " Ops "}))
        .await
        .ok();
}

#[tokio::test]
async fn a_find_query_is_at_most_254_characters_as_sent() {
    let app = TestApp::new().await;
    app.as_owner("user/find", json!({"query": "o".repeat(254)}))
        .await
        .ok();
    app.as_owner(
        "user/find",
        json!({"query": format!("{} ", "o".repeat(254))}),
    )
    .await
    .err(400, "INVALID");
}

#[tokio::test]
async fn the_audit_target_is_an_id() {
    let app = TestApp::new().await;
    let id = app.owner.id.clone();
    app.as_owner("account/audit", json!({"target": id}))
        .await
        .ok();
    let r = app
        .as_owner("account/audit", json!({"target": "owner@example.com"}))
        .await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "target");
}

#[tokio::test]
async fn a_body_is_an_object() {
    let app = TestApp::new().await;
    let token = Some(app.owner.token.as_str());
    for body in ["[]", r#"["owner@example.com"]"#, "1", "\"x\"", "null"] {
        app.raw("user/get", "", token, body.as_bytes().to_vec())
            .await
            .err(400, "BAD_REQUEST");
    }
    app.raw("user/info", "", token, Vec::new()).await.ok();
}

/// Found by the fuzzer: a body of white space alone was read as `{}`; it
/// is no JSON, and only a body with no byte at all means `{}`.
#[tokio::test]
async fn a_body_of_white_space_is_not_json() {
    let app = TestApp::new().await;
    let token = Some(app.owner.token.as_str());
    for body in ["\n", "  ", "\t\r\n"] {
        app.raw("group/find", "", token, body.as_bytes().to_vec())
            .await
            .err(400, "BAD_REQUEST");
    }
    app.raw("group/find", "", token, Vec::new()).await.ok();
}

#[tokio::test]
async fn a_replaced_apis_empty_parameter_is_its_default_and_a_padded_number_is_malformed() {
    let app = TestApp::new().await;
    let token = app.owner.token.clone();
    let uri = |query: &str| format!("/user/get_all_users?token={token}&{query}");
    let page = app
        .send(
            "GET",
            &uri("page=&pagesize=&sortfield=&descending="),
            None,
            None,
        )
        .await
        .json();
    assert_eq!(page["options"], json!({"page": 1, "pageSize": 50}));
    for bad in ["page=%201", "pagesize=5%20", "descending=%20true"] {
        let r = app.send("GET", &uri(bad), None, None).await;
        assert_eq!(r.status.as_u16(), 400, "{bad}: {}", r.text);
    }
    app.send("GET", &uri("sortfield=%20username"), None, None)
        .await
        .refused("INVALID");
}

/// Found by the fuzzer: an address `email_address` takes but the `email`
/// format refuses (`{` in a host name) was stored, and answered back.
#[tokio::test]
async fn an_email_has_an_ascii_local_part_and_a_host_name() {
    let app = TestApp::new().await;
    for bad in [
        "a@exa{mple.com",
        "a@-example.com",
        "a@example-.com",
        "a@[127.0.0.1]",
        "ä@example.com",
        "a@exämple.com",
    ] {
        let r = app
            .as_owner("user/invite", json!({"email": bad, "role": "user"}))
            .await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "email", "{bad}");
    }
    app.as_owner(
        "user/invite",
        json!({"email": "o'brien+tag@xn--bcher-kva.example", "role": "user"}),
    )
    .await
    .ok();
}

/// Found by the fuzzer: the local API's resend took `username` and let a
/// malformed `email` beside it pass unread.
#[tokio::test]
async fn every_field_a_resend_names_must_be_what_it_says() {
    let app = TestApp::new().await;
    app.invite("grace@example.com", "user").await;
    let uri = format!("/user/resend_user_email?token={}", app.owner.token);
    let body = json!({"username": "grace@example.com", "email": "AAA"});
    app.send("POST", &uri, None, Some(body))
        .await
        .refused("INVALID");
    let body = json!({"username": "grace@example.com"});
    app.send("POST", &uri, None, Some(body)).await.empty();
}

/// Found by the fuzzer: `278.0` is an integer to JSON Schema, and was
/// refused where the document says `integer`.
#[tokio::test]
async fn a_whole_number_may_be_written_with_a_fraction_of_zero() {
    let app = TestApp::new().await;
    let plan = json!({"seats": {"admin": 3.0, "user": 10, "viewer": 5.0}, "groups": 278.0,
                      "features": {"storageGb": 10.0}});
    let account = app
        .as_owner("account/update", json!({"plan": plan}))
        .await
        .ok();
    assert_eq!(account["groups"]["limit"], 278);
    assert_eq!(account["features"]["storageGb"], 10);
    app.as_owner(
        "account/update",
        json!({"plan": {"seats": {"admin": 1.5, "user": 1, "viewer": 1}, "groups": 1}}),
    )
    .await
    .err(400, "INVALID");
    let uri = format!("/user/insert_user?token={}", app.owner.token);
    let body = json!({"username": "ann@example.com", "userType": 32.0});
    let ann = app.send("POST", &uri, None, Some(body)).await.json();
    assert_eq!(ann["userType"], 32);
    let body = json!({"username": "bob@example.com", "userType": 32.5});
    assert_eq!(
        app.send("POST", &uri, None, Some(body))
            .await
            .status
            .as_u16(),
        400
    );
}

#[tokio::test]
async fn a_blank_field_of_a_resend_is_not_given() {
    let app = TestApp::new().await;
    let invited = app.invite("grace@example.com", "user").await;
    let id = roster_tests::compat::uuid(invited["id"].as_str().unwrap());
    let uri = format!("/user/resend_user_email?token={}", app.owner.token);
    let body = json!({"id": id, "username": "", "email": ""});
    app.send("POST", &uri, None, Some(body)).await.empty();
    let body = json!({"id": "", "username": "", "email": ""});
    app.send("POST", &uri, None, Some(body))
        .await
        .refused("INVALID");
}
