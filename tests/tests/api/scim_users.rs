//! `/scim/v2/Users`: the mapping, each rule, and the SCIM error model.

use roster_tests::app::{TestApp, PASSWORD};
use roster_tests::scim::{okta_user, patch_op};
use serde_json::{json, Value};

fn filter(f: &str) -> String {
    let encoded: String = f
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/Users?filter={encoded}")
}

async fn created(app: &TestApp, token: &str, email: &str) -> Value {
    app.scim("POST", "/Users", token, Some(okta_user(email, "Ivy", "Ng")))
        .await
        .expect(201)
}

#[tokio::test]
async fn a_created_user_is_pending_invited_and_mapped() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let r = app
        .scim(
            "POST",
            "/Users",
            &token,
            Some(okta_user("Ivy@Example.com", "Ivy", "Ng")),
        )
        .await;
    let u = r.expect(201);
    let id = u["id"].as_str().unwrap();
    // Read back as sent: the case of userName, the e-mails as given.
    assert_eq!(u["userName"], "Ivy@Example.com");
    assert_eq!(u["name"], json!({"givenName": "Ivy", "familyName": "Ng"}));
    assert_eq!(
        u["emails"],
        json!([{"value": "Ivy@Example.com", "type": "work", "primary": true}])
    );
    assert_eq!(u["active"], true);
    assert_eq!(u["externalId"], "00uivy");
    // No roles were sent, and the role is the default: none shown.
    assert!(u.get("roles").is_none(), "{u}");
    assert_eq!(u["groups"], json!([]));
    assert_eq!(u["meta"]["resourceType"], "User");
    assert!(u.get("password").is_none(), "{u}");
    let location = u["meta"]["location"].as_str().unwrap();
    assert!(
        location.ends_with(&format!("/scim/v2/Users/{id}")),
        "{location}"
    );
    assert_eq!(r.location.as_deref(), Some(location));
    assert_eq!(r.etag.as_deref(), u["meta"]["version"].as_str());

    // roster sees a pending user with an invite in the mail.
    let v = app.as_owner("user/get", json!({"id": id})).await.ok();
    assert_eq!(v["state"], "pending");
    assert_eq!(v["first"], "Ivy");
    let invite = app.invite_token_from_mail("ivy@example.com").unwrap();
    app.call(
        "user/signup",
        None,
        json!({"token": invite, "password": PASSWORD}),
    )
    .await
    .ok();
    let u = app
        .scim("GET", &format!("/Users/{id}"), &token, None)
        .await
        .expect(200);
    assert_eq!(u["active"], true);
}

#[tokio::test]
async fn a_retried_create_is_a_uniqueness_conflict_and_changes_nothing() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let first = created(&app, &token, "ivy@example.com").await;
    let mut again = okta_user("IVY@example.com", "Other", "Name");
    again["externalId"] = json!("different");
    app.scim("POST", "/Users", &token, Some(again))
        .await
        .error(409, Some("uniqueness"));
    let now = app
        .scim(
            "GET",
            &format!("/Users/{}", first["id"].as_str().unwrap()),
            &token,
            None,
        )
        .await
        .expect(200);
    assert_eq!(now, first);
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["seats"]["user"]["used"], 1, "{usage}");
    // A member who signed up is as taken.
    app.member("ann@example.com", "user").await;
    app.scim(
        "POST",
        "/Users",
        &token,
        Some(okta_user("ann@example.com", "A", "B")),
    )
    .await
    .error(409, Some("uniqueness"));
}

#[tokio::test]
async fn bad_users_are_refused_with_invalid_value() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let cases = [
        json!({"schemas": [], "name": {"givenName": "A"}}),
        json!({"userName": "not an address"}),
        json!({"userName": 42}),
        json!({"userName": "a@example.com", "name": "A B"}),
        json!({"userName": "a@example.com", "name": {"givenName": "x".repeat(101)}}),
        json!({"userName": "a@example.com", "active": "maybe"}),
        json!({"userName": "a@example.com", "roles": [{"value": "superuser"}]}),
        json!({"userName": "a@example.com", "roles": "admin"}),
        json!({"userName": "a@example.com", "externalId": ""}),
        json!({"userName": "a@example.com", "externalId": "x".repeat(257)}),
    ];
    for body in cases {
        app.scim("POST", "/Users", &token, Some(body.clone()))
            .await
            .error(400, Some("invalidValue"));
    }
    // Granting the owner role is a permission, not a value.
    app.scim(
        "POST",
        "/Users",
        &token,
        Some(json!({"userName": "a@example.com", "roles": [{"value": "owner"}]})),
    )
    .await
    .error(403, None);
    let r = app
        .scim_request(
            axum::http::Request::post("/scim/v2/Users")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/scim+json")
                .body(axum::body::Body::from("{not json"))
                .unwrap(),
        )
        .await;
    r.error(400, Some("invalidSyntax"));
    let r = app
        .scim_request(
            axum::http::Request::post("/scim/v2/Users")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "text/plain")
                .body(axum::body::Body::from("{}"))
                .unwrap(),
        )
        .await;
    r.error(415, None);
    // Nothing was made.
    let list = app.scim("GET", "/Users", &token, None).await.expect(200);
    assert_eq!(list["totalResults"], 1, "only the owner: {list}");
}

#[tokio::test]
async fn users_are_found_by_filter_and_paged_in_a_stable_order() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    for i in 0..5 {
        created(&app, &token, &format!("u{i}@example.com")).await;
    }
    let list = app
        .scim(
            "GET",
            &filter("userName eq \"U3@EXAMPLE.COM\""),
            &token,
            None,
        )
        .await
        .expect(200);
    assert_eq!(
        list["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
    );
    assert_eq!(list["totalResults"], 1);
    assert_eq!(list["Resources"][0]["userName"], "u3@example.com");
    // No match is an empty list, not an error.
    let list = app
        .scim(
            "GET",
            &filter("userName eq \"nobody@example.com\""),
            &token,
            None,
        )
        .await
        .expect(200);
    assert_eq!(
        (list["totalResults"].clone(), list["Resources"].clone()),
        (json!(0), json!([]))
    );
    let list = app
        .scim("GET", &filter("externalId eq \"00uivy\""), &token, None)
        .await
        .expect(200);
    assert_eq!(list["totalResults"], 5);
    let list = app
        .scim(
            "GET",
            &filter("emails[type eq \"work\"].value eq \"u1@example.com\""),
            &token,
            None,
        )
        .await
        .expect(200);
    assert_eq!(list["totalResults"], 1);
    let list = app
        .scim(
            "GET",
            &filter("userName sw \"u\" and active eq true"),
            &token,
            None,
        )
        .await
        .expect(200);
    assert_eq!(list["totalResults"], 5);
    let id = list["Resources"][2]["id"].as_str().unwrap().to_string();
    let list = app
        .scim("GET", &filter(&format!("id eq \"{id}\"")), &token, None)
        .await
        .expect(200);
    assert_eq!(list["Resources"][0]["id"], id.as_str());

    // Six users (the owner first), two at a time, never overlapping.
    let mut seen = Vec::new();
    for start in [1, 3, 5] {
        let page = app
            .scim(
                "GET",
                &format!("/Users?startIndex={start}&count=2"),
                &token,
                None,
            )
            .await
            .expect(200);
        assert_eq!(page["totalResults"], 6);
        assert_eq!(page["startIndex"], start);
        assert_eq!(page["itemsPerPage"], 2);
        for r in page["Resources"].as_array().unwrap() {
            seen.push(r["id"].as_str().unwrap().to_string());
        }
    }
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique.len(), 6);
    let page = app
        .scim("GET", "/Users?startIndex=0&count=0", &token, None)
        .await
        .expect(200);
    assert_eq!(
        (page["totalResults"].clone(), page["itemsPerPage"].clone()),
        (json!(6), json!(0))
    );

    // Only the attributes asked for (and id, schemas); or all but some.
    let page = app
        .scim(
            "GET",
            "/Users?attributes=userName,name.givenName",
            &token,
            None,
        )
        .await
        .expect(200);
    let r = &page["Resources"][1];
    let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["id", "name", "schemas", "userName"], "{r}");
    assert!(r["name"].get("familyName").is_none(), "{r}");
    let page = app
        .scim(
            "GET",
            "/Users?excludedAttributes=groups,emails",
            &token,
            None,
        )
        .await
        .expect(200);
    assert!(page["Resources"][0].get("groups").is_none());
    assert!(page["Resources"][0].get("emails").is_none());
    assert!(page["Resources"][0].get("userName").is_some());

    // A SearchRequest body finds the same.
    let found = app
        .scim(
            "POST",
            "/Users/.search",
            &token,
            Some(json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                "filter": "userName eq \"u2@example.com\"", "startIndex": 1, "count": 10,
            })),
        )
        .await
        .expect(200);
    assert_eq!(found["totalResults"], 1);

    for bad in ["userName eq", "userName zz \"a\"", "(userName eq \"a\""] {
        app.scim("GET", &filter(bad), &token, None)
            .await
            .error(400, Some("invalidFilter"));
    }
    app.scim("GET", "/Users?count=many", &token, None)
        .await
        .error(400, Some("invalidValue"));
    app.scim("GET", "/Users?sortBy=userName", &token, None)
        .await
        .error(400, Some("invalidValue"));
}

#[tokio::test]
async fn deactivating_disables_and_ends_sessions_and_reactivating_restores() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let ann = app.member("ann@example.com", "user").await;
    // Okta's shape: a path-less replace.
    let off = patch_op(json!([{"op": "replace", "value": {"active": false}}]));
    let u = app
        .scim("PATCH", &format!("/Users/{}", ann.id), &token, Some(off))
        .await
        .expect(200);
    assert_eq!(u["active"], false);
    app.as_member(&ann, "user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    let v = app.as_owner("user/get", json!({"id": ann.id})).await.ok();
    assert_eq!(v["state"], "disabled");
    // Still found while inactive.
    let list = app
        .scim(
            "GET",
            &filter("userName eq \"ann@example.com\""),
            &token,
            None,
        )
        .await
        .expect(200);
    assert_eq!(list["Resources"][0]["active"], false);
    // Entra's shape: a capitalised op and a string boolean.
    let on = patch_op(json!([{"op": "Replace", "path": "active", "value": "True"}]));
    let u = app
        .scim("PATCH", &format!("/Users/{}", ann.id), &token, Some(on))
        .await
        .expect(200);
    assert_eq!(u["active"], true);
    app.logged_in("ann@example.com", PASSWORD).await;
    let log = app
        .as_owner("account/audit", json!({"target": ann.id}))
        .await
        .ok();
    let actions: Vec<&str> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions[..2], ["user/enable", "user/disable"], "{log}");
}

#[tokio::test]
async fn a_pending_user_deactivated_keeps_no_link_and_gets_a_new_one_when_active_again() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let u = created(&app, &token, "ivy@example.com").await;
    let path = format!("/Users/{}", u["id"].as_str().unwrap());
    let old = app.invite_token_from_mail("ivy@example.com").unwrap();
    let off = patch_op(json!([{"op": "replace", "path": "active", "value": false}]));
    assert_eq!(
        app.scim("PATCH", &path, &token, Some(off))
            .await
            .expect(200)["active"],
        false
    );
    app.call(
        "user/signup",
        None,
        json!({"token": old, "password": PASSWORD}),
    )
    .await
    .err(400, "TOKEN_INVALID");
    app.as_owner("user/resendInvite", json!({"id": u["id"]}))
        .await
        .err(409, "CONFLICT");
    let on = patch_op(json!([{"op": "replace", "path": "active", "value": true}]));
    assert_eq!(
        app.scim("PATCH", &path, &token, Some(on)).await.expect(200)["active"],
        true
    );
    let new = app.invite_token_from_mail("ivy@example.com").unwrap();
    assert_ne!(new, old);
    app.call(
        "user/signup",
        None,
        json!({"token": new, "password": PASSWORD}),
    )
    .await
    .ok();
    // Created inactive: no mail at all until activated.
    let mut quiet = okta_user("quiet@example.com", "Q", "T");
    quiet["active"] = json!(false);
    let q = app
        .scim("POST", "/Users", &token, Some(quiet))
        .await
        .expect(201);
    assert_eq!(q["active"], false);
    assert!(app.invite_token_from_mail("quiet@example.com").is_none());
}

#[tokio::test]
async fn put_and_patch_change_names_external_id_role_and_a_pending_email() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let u = created(&app, &token, "ivy@example.com").await;
    let path = format!("/Users/{}", u["id"].as_str().unwrap());
    let mut put = okta_user("ivy.ng@example.com", "Ivy", "Ngata");
    put["externalId"] = json!("X-1");
    put["roles"] = json!([{"value": "Admin", "primary": true}]);
    let v = app.scim("PUT", &path, &token, Some(put)).await.expect(200);
    assert_eq!(v["userName"], "ivy.ng@example.com");
    assert_eq!(v["name"]["familyName"], "Ngata");
    assert_eq!(v["externalId"], "X-1");
    assert_eq!(v["roles"], json!([{"value": "Admin", "primary": true}]));
    let native = app.as_owner("user/get", json!({"id": u["id"]})).await.ok();
    assert_eq!(native["role"], "admin");
    // The invite follows the new address.
    assert!(app.invite_token_from_mail("ivy.ng@example.com").is_some());
    // Entra: dotted keys in a path-less replace, a filtered e-mail path.
    let p = patch_op(json!([
        {"op": "Replace", "value": {"name.givenName": "Ivana", "externalId": "X-2"}},
        {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "ignored@example.com"},
        {"op": "Remove", "path": "externalId"},
    ]));
    let v = app.scim("PATCH", &path, &token, Some(p)).await.expect(200);
    assert_eq!(v["name"]["givenName"], "Ivana");
    assert!(v.get("externalId").is_none(), "{v}");
    // The e-mails read back as given; userName, an address, is the e-mail.
    assert_eq!(v["emails"][0]["value"], "ignored@example.com");
    assert_eq!(v["userName"], "ivy.ng@example.com");
    let native = app.as_owner("user/get", json!({"id": u["id"]})).await.ok();
    assert_eq!(native["email"], "ivy.ng@example.com");
    // A PATCH that changes nothing is a 200 all the same.
    let same = patch_op(json!([{"op": "replace", "path": "name.givenName", "value": "Ivana"}]));
    let again = app
        .scim("PATCH", &path, &token, Some(same))
        .await
        .expect(200);
    assert_eq!(again["meta"]["version"], v["meta"]["version"]);

    // A user who signed up keeps its e-mail.
    let ann = app.member("ann@example.com", "user").await;
    let rename =
        patch_op(json!([{"op": "replace", "path": "userName", "value": "ann2@example.com"}]));
    app.scim("PATCH", &format!("/Users/{}", ann.id), &token, Some(rename))
        .await
        .error(400, Some("mutability"));
    for bad in [
        json!([{"op": "remove"}]),
        json!([{"op": "jump", "path": "active"}]),
        json!([{"op": "replace", "path": "active", "value": "perhaps"}]),
    ] {
        let r = app
            .scim("PATCH", &path, &token, Some(patch_op(bad.clone())))
            .await;
        assert_eq!(r.status.as_u16(), 400, "{bad}: {}", r.text);
    }
    app.scim("PATCH", &path, &token, Some(json!({"Operations": []})))
        .await
        .error(400, Some("invalidSyntax"));
}

#[tokio::test]
async fn the_owner_cannot_be_deactivated_demoted_or_deleted() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let path = format!("/Users/{}", app.owner.id);
    let off = patch_op(json!([{"op": "replace", "path": "active", "value": false}]));
    app.scim("PATCH", &path, &token, Some(off))
        .await
        .error(403, None);
    let demote =
        patch_op(json!([{"op": "replace", "path": "roles", "value": [{"value": "user"}]}]));
    app.scim("PATCH", &path, &token, Some(demote))
        .await
        .error(403, None);
    app.scim("DELETE", &path, &token, None)
        .await
        .error(403, None);
    let u = app.scim("GET", &path, &token, None).await.expect(200);
    assert_eq!(
        (u["active"].clone(), u["roles"][0]["value"].clone()),
        (json!(true), json!("owner"))
    );
}

#[tokio::test]
async fn delete_removes_the_user_and_frees_its_seat() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let u = created(&app, &token, "ivy@example.com").await;
    let path = format!("/Users/{}", u["id"].as_str().unwrap());
    let r = app.scim("DELETE", &path, &token, None).await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
    app.scim("GET", &path, &token, None).await.error(404, None);
    app.scim("DELETE", &path, &token, None)
        .await
        .error(404, None);
    app.scim("GET", "/Users/not-an-id", &token, None)
        .await
        .error(404, None);
    let usage = app.as_owner("account/usage", json!({})).await.ok();
    assert_eq!(usage["seats"]["user"]["used"], 0);
}

#[tokio::test]
async fn seats_apply_and_over_the_plan_is_a_conflict_saying_so() {
    let app = TestApp::new().await;
    let plan = json!({"seats": {"admin": 1, "user": 1, "viewer": 0}, "groups": 1});
    app.as_owner("account/update", json!({"plan": plan}))
        .await
        .ok();
    let token = app.scim_token().await;
    created(&app, &token, "one@example.com").await;
    let e = app
        .scim(
            "POST",
            "/Users",
            &token,
            Some(okta_user("two@example.com", "T", "W")),
        )
        .await
        .error(409, None);
    assert!(e["detail"].as_str().unwrap().contains("seat"), "{e}");
}

#[tokio::test]
async fn if_match_is_honoured() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let r = app
        .scim(
            "POST",
            "/Users",
            &token,
            Some(okta_user("ivy@example.com", "Ivy", "Ng")),
        )
        .await;
    let u = r.expect(201);
    let path = format!("/Users/{}", u["id"].as_str().unwrap());
    let etag = r.etag.unwrap();
    let p = patch_op(json!([{"op": "replace", "path": "name.givenName", "value": "Ivana"}]));
    let req = |tag: &str, body: &Value| {
        axum::http::Request::patch(format!("/scim/v2{path}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/scim+json")
            .header("if-match", tag)
            .body(axum::body::Body::from(body.to_string()))
            .unwrap()
    };
    let ok = app.scim_request(req(&etag, &p)).await;
    ok.expect(200);
    // The old version is stale now.
    app.scim_request(req(&etag, &p)).await.error(412, None);
    app.scim_request(req("W/\"x\"", &p)).await.error(412, None);
    // An If-Match that is there but empty names no version either.
    app.scim_request(req("", &p)).await.error(412, None);
    app.scim_request(req(ok.etag.as_deref().unwrap(), &p))
        .await
        .expect(200);
}

#[tokio::test]
async fn discovery_lists_what_roster_serves() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let spc = app
        .scim("GET", "/ServiceProviderConfig", &token, None)
        .await
        .expect(200);
    assert_eq!(spc["patch"]["supported"], true);
    assert_eq!(spc["bulk"]["supported"], false);
    assert_eq!(spc["filter"]["supported"], true);
    let types = app
        .scim("GET", "/ResourceTypes", &token, None)
        .await
        .expect(200);
    assert_eq!(types["totalResults"], 2);
    app.scim("GET", "/ResourceTypes/User", &token, None)
        .await
        .expect(200);
    app.scim("GET", "/ResourceTypes/Nope", &token, None)
        .await
        .error(404, None);
    let schemas = app.scim("GET", "/Schemas", &token, None).await.expect(200);
    let user = &schemas["Resources"][0];
    let names: Vec<&str> = user["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["userName", "name", "emails", "active", "roles", "groups"]
    );
    app.scim(
        "GET",
        "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group",
        &token,
        None,
    )
    .await
    .expect(200);
    let all = app
        .scim(
            "POST",
            "/.search",
            &token,
            Some(json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                "attributes": ["userName", "displayName"],
            })),
        )
        .await
        .expect(200);
    assert_eq!(all["totalResults"], 1, "the owner: {all}");
    app.scim("POST", "/.search", &token, Some(json!({})))
        .await
        .error(400, Some("invalidSyntax"));
    // Bulk is not served (ServiceProviderConfig says so): a SCIM 404.
    app.scim("POST", "/Bulk", &token, Some(json!({})))
        .await
        .error(404, None);
    app.scim("GET", "/Nothing/here", &token, None)
        .await
        .error(404, None);
    app.scim("DELETE", "/ServiceProviderConfig", &token, None)
        .await
        .error(405, None);
    app.scim("PATCH", "/Users", &token, Some(json!({})))
        .await
        .error(405, None);
}

#[tokio::test]
async fn a_user_name_that_is_no_address_is_unique_and_the_email_comes_from_emails() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "39996591-Ada",
        "emails": [{"value": "home@example.com", "type": "home"}, {"value": "Ada@Example.com", "primary": true}],
        "active": true,
    });
    let u = app
        .scim("POST", "/Users", &token, Some(body.clone()))
        .await
        .expect(201);
    assert_eq!(u["userName"], "39996591-Ada");
    assert_eq!(u["emails"], body["emails"]);
    let native = app.as_owner("user/get", json!({"id": u["id"]})).await.ok();
    assert_eq!(native["email"], "ada@example.com");
    assert!(app.invite_token_from_mail("ada@example.com").is_some());
    // The same name in another case is taken; so is the e-mail.
    let mut again = body.clone();
    again["userName"] = json!("39996591-ADA");
    again["emails"] = json!([{"value": "other@example.com"}]);
    app.scim("POST", "/Users", &token, Some(again))
        .await
        .error(409, Some("uniqueness"));
    let mut same_mail = body.clone();
    same_mail["userName"] = json!("someone-else");
    app.scim("POST", "/Users", &token, Some(same_mail))
        .await
        .error(409, Some("uniqueness"));
    let found = app
        .scim("GET", &filter("userName eq \"39996591-ada\""), &token, None)
        .await
        .expect(200);
    assert_eq!(found["Resources"][0]["id"], u["id"]);
    // Renamed: the old name is free again, the new one found.
    let path = format!("/Users/{}", u["id"].as_str().unwrap());
    let rename = patch_op(json!([{"op": "replace", "path": "userName", "value": "ada-2"}]));
    app.scim("PATCH", &path, &token, Some(rename))
        .await
        .expect(200);
    let gone = app
        .scim("GET", &filter("userName eq \"39996591-Ada\""), &token, None)
        .await
        .expect(200);
    assert_eq!(gone["totalResults"], 0);
    let mut reuse = body.clone();
    reuse["emails"] = json!([{"value": "new@example.com"}]);
    let other = app
        .scim("POST", "/Users", &token, Some(reuse))
        .await
        .expect(201);
    // Removed: its name goes with it.
    app.scim(
        "DELETE",
        &format!("/Users/{}", other["id"].as_str().unwrap()),
        &token,
        None,
    )
    .await;
    let mut third = body.clone();
    third["emails"] = json!([{"value": "third@example.com"}]);
    app.scim("POST", "/Users", &token, Some(third))
        .await
        .expect(201);
    // No address anywhere: refused.
    let none = json!({"userName": "no-mail", "active": true});
    app.scim("POST", "/Users", &token, Some(none))
        .await
        .error(400, Some("invalidValue"));
}

#[tokio::test]
async fn roles_read_back_as_given_and_removed_fall_back_to_user() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let u = created(&app, &token, "ivy@example.com").await;
    let path = format!("/Users/{}", u["id"].as_str().unwrap());
    let add = patch_op(
        json!([{"op": "add", "path": "roles", "value": [{"value": "viewer", "primary": false}]}]),
    );
    let v = app
        .scim("PATCH", &path, &token, Some(add))
        .await
        .expect(200);
    assert_eq!(v["roles"], json!([{"value": "viewer", "primary": false}]));
    let native = app.as_owner("user/get", json!({"id": u["id"]})).await.ok();
    assert_eq!(native["role"], "viewer");
    let rm = patch_op(json!([{"op": "remove", "path": "roles"}]));
    let v = app.scim("PATCH", &path, &token, Some(rm)).await.expect(200);
    assert!(v.get("roles").is_none(), "{v}");
    let native = app.as_owner("user/get", json!({"id": u["id"]})).await.ok();
    assert_eq!(native["role"], "user");
    // An admin made in roster shows its role, and a PATCH that never
    // names roles leaves it.
    let adm = app.member("adm@example.com", "admin").await;
    let apath = format!("/Users/{}", adm.id);
    let a = app.scim("GET", &apath, &token, None).await.expect(200);
    assert_eq!(a["roles"], json!([{"value": "admin", "primary": true}]));
    let rename = patch_op(json!([{"op": "replace", "path": "name.givenName", "value": "Ad"}]));
    app.scim("PATCH", &apath, &token, Some(rename))
        .await
        .expect(200);
    let mut put = app.scim("GET", &apath, &token, None).await.expect(200);
    put.as_object_mut().unwrap().remove("roles");
    app.scim("PUT", &apath, &token, Some(put)).await.expect(200);
    let native = app.as_owner("user/get", json!({"id": adm.id})).await.ok();
    assert_eq!(native["role"], "admin");
}

#[tokio::test]
async fn any_text_in_paths_and_attributes_is_a_clear_error_or_ignored() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let u = created(&app, &token, "ivy@example.com").await;
    let path = format!("/Users/{}", u["id"].as_str().unwrap());
    // A multi-byte character where a schema URN would end.
    for cut in [41, 42, 43, 57, 58, 59] {
        let attr = format!("{}é", "a".repeat(cut));
        let encoded: String = attr.bytes().map(|b| format!("%{b:02X}")).collect();
        let r = app
            .scim("GET", &format!("/Users?attributes={encoded}"), &token, None)
            .await;
        assert!(matches!(r.status.as_u16(), 200 | 400), "{}", r.text);
        let p = patch_op(json!([{"op": "remove", "path": attr}]));
        let r = app.scim("PATCH", &path, &token, Some(p)).await;
        assert!(matches!(r.status.as_u16(), 200 | 400), "{}", r.text);
    }
    // Too many values in one op: refused before any work.
    let many: Vec<Value> = (0..6000)
        .map(|i| json!({"value": format!("x{i}@example.com")}))
        .collect();
    let p = patch_op(json!([{"op": "add", "path": "emails", "value": many}]));
    app.scim("PATCH", &path, &token, Some(p))
        .await
        .error(400, Some("tooMany"));
    // An unknown schema's attributes in a path-less replace are not roster's.
    let p =
        patch_op(json!([{"op": "replace", "value": {"urn:example:custom:1.0:User:badge": "7"}}]));
    app.scim("PATCH", &path, &token, Some(p)).await.expect(200);
    // A userName longer than any key holds is simply not found.
    let long = "n".repeat(2000);
    let list = app
        .scim(
            "GET",
            &filter(&format!("userName eq \"{long}\"")),
            &token,
            None,
        )
        .await
        .expect(200);
    assert_eq!(list["totalResults"], 0);
}
