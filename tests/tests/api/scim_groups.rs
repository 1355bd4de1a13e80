//! `/scim/v2/Groups`: groups and their members, in every shape the
//! identity providers send.

use roster_tests::app::TestApp;
use roster_tests::scim::{okta_user, patch_op};
use serde_json::{json, Value};

async fn users(app: &TestApp, token: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let u = app
            .scim(
                "POST",
                "/Users",
                token,
                Some(okta_user(&format!("m{i}@example.com"), "M", "N")),
            )
            .await
            .expect(201);
        ids.push(u["id"].as_str().unwrap().to_string());
    }
    ids
}

fn member_ids(group: &Value) -> Vec<String> {
    let mut ids: Vec<String> = group["members"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|x| x["value"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

async fn read(app: &TestApp, path: &str, token: &str) -> Vec<String> {
    member_ids(&app.scim("GET", path, token, None).await.expect(200))
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[tokio::test]
async fn a_group_is_created_with_members_renamed_and_removed() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let ids = users(&app, &token, 2).await;
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Engineering", "externalId": "okta-grp-1",
        "members": [{"value": ids[0]}, {"value": ids[1], "display": "m1@example.com"}],
    });
    let r = app.scim("POST", "/Groups", &token, Some(body)).await;
    let g = r.expect(201);
    assert!(r.location.is_some());
    assert_eq!(g["displayName"], "Engineering");
    assert_eq!(member_ids(&g), sorted(ids.clone()));
    let gid = g["id"].as_str().unwrap().to_string();
    // roster sees the group and the memberships.
    let v = app.as_owner("group/get", json!({"id": gid})).await.ok();
    assert_eq!(v["members"], 2);
    let u = app
        .scim("GET", &format!("/Users/{}", ids[0]), &token, None)
        .await
        .expect(200);
    assert_eq!(u["groups"][0]["value"], gid.as_str());
    assert_eq!(u["groups"][0]["display"], "Engineering");

    let put = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                     "displayName": "Eng", "members": [{"value": ids[1]}]});
    let g = app
        .scim("PUT", &format!("/Groups/{gid}"), &token, Some(put))
        .await
        .expect(200);
    assert_eq!(g["displayName"], "Eng");
    assert_eq!(member_ids(&g), vec![ids[1].clone()]);

    let list = app
        .scim(
            "GET",
            "/Groups?filter=displayName%20eq%20%22eng%22&excludedAttributes=members",
            &token,
            None,
        )
        .await
        .expect(200);
    assert_eq!(list["totalResults"], 1);
    assert!(list["Resources"][0].get("members").is_none());
    let one = app
        .scim(
            "GET",
            &format!("/Groups/{gid}?excludedAttributes=members"),
            &token,
            None,
        )
        .await
        .expect(200);
    assert!(one.get("members").is_none());

    let r = app
        .scim("DELETE", &format!("/Groups/{gid}"), &token, None)
        .await;
    assert_eq!(r.status.as_u16(), 204);
    app.scim("GET", &format!("/Groups/{gid}"), &token, None)
        .await
        .error(404, None);
}

#[tokio::test]
async fn members_are_added_and_removed_in_each_shape() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let ids = users(&app, &token, 4).await;
    let g = app
        .scim(
            "POST",
            "/Groups",
            &token,
            Some(json!({"displayName": "Ops", "members": []})),
        )
        .await
        .expect(201);
    let path = format!("/Groups/{}", g["id"].as_str().unwrap());

    // Okta: add a list.
    let add = patch_op(json!([{"op": "add", "path": "members",
        "value": [{"value": ids[0], "display": "m0@example.com"}, {"value": ids[1]}, {"value": ids[2]}]}]));
    let r = app.scim("PATCH", &path, &token, Some(add)).await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
    assert_eq!(read(&app, &path, &token).await, sorted(ids[..3].to_vec()));
    // Okta: remove by a value filter.
    let rm =
        patch_op(json!([{"op": "remove", "path": format!("members[value eq \"{}\"]", ids[0])}]));
    app.scim("PATCH", &path, &token, Some(rm)).await;
    assert_eq!(read(&app, &path, &token).await, sorted(ids[1..3].to_vec()));
    // Entra: Remove with a value list, Add with a capital.
    let both = patch_op(json!([
        {"op": "Remove", "path": "members", "value": [{"value": ids[1]}]},
        {"op": "Add", "path": "members", "value": [{"value": ids[3]}]},
    ]));
    app.scim("PATCH", &path, &token, Some(both)).await;
    assert_eq!(
        read(&app, &path, &token).await,
        sorted(vec![ids[2].clone(), ids[3].clone()])
    );
    // A rename as Okta sends it: path-less, with the group's own id inside.
    let rename =
        patch_op(json!([{"op": "replace", "value": {"id": g["id"], "displayName": "Operations"}}]));
    app.scim("PATCH", &path, &token, Some(rename)).await;
    let now = app.scim("GET", &path, &token, None).await.expect(200);
    assert_eq!(now["displayName"], "Operations");
    // Push of an empty group: every member goes.
    let empty = patch_op(json!([{"op": "replace", "path": "members", "value": []}]));
    app.scim("PATCH", &path, &token, Some(empty)).await;
    assert!(read(&app, &path, &token).await.is_empty());
    // Removing who isn't there, adding who is: no change, no error.
    let noop =
        patch_op(json!([{"op": "remove", "path": format!("members[value eq \"{}\"]", ids[0])}]));
    let r = app.scim("PATCH", &path, &token, Some(noop)).await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
}

#[tokio::test]
async fn bad_groups_are_refused() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    app.scim(
        "POST",
        "/Groups",
        &token,
        Some(json!({"displayName": "Eng"})),
    )
    .await
    .expect(201);
    app.scim(
        "POST",
        "/Groups",
        &token,
        Some(json!({"displayName": "ENG"})),
    )
    .await
    .error(409, Some("uniqueness"));
    app.scim("POST", "/Groups", &token, Some(json!({"members": []})))
        .await
        .error(400, Some("invalidValue"));
    app.scim(
        "POST",
        "/Groups",
        &token,
        Some(json!({"displayName": "X", "members": [{"value": "nope"}]})),
    )
    .await
    .error(400, Some("invalidValue"));
    let stranger = roster_core::domain::UserId::new().to_string();
    app.scim(
        "POST",
        "/Groups",
        &token,
        Some(json!({"displayName": "Y", "members": [{"value": stranger}]})),
    )
    .await
    .error(400, Some("invalidValue"));
    // Neither half-made group was kept.
    let list = app.scim("GET", "/Groups", &token, None).await.expect(200);
    assert_eq!(list["totalResults"], 1, "{list}");
    app.scim("GET", "/Groups/nope", &token, None)
        .await
        .error(404, None);
}

#[tokio::test]
async fn a_group_version_follows_its_members_and_if_match_is_honoured() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let ids = users(&app, &token, 2).await;
    let r = app
        .scim(
            "POST",
            "/Groups",
            &token,
            Some(json!({"displayName": "Ops"})),
        )
        .await;
    let g = r.expect(201);
    let path = format!("/Groups/{}", g["id"].as_str().unwrap());
    let before = r.etag.unwrap();
    // A native assign changes the group's version.
    let pair = json!({"assignments": [{"userId": ids[0], "groupId": g["id"]}]});
    app.as_owner("group/assign", pair).await.ok();
    let now = app.scim("GET", &path, &token, None).await;
    assert_ne!(now.etag.as_deref(), Some(before.as_str()));
    let add = patch_op(json!([{"op": "add", "path": "members", "value": [{"value": ids[1]}]}]));
    let req = |tag: &str| {
        axum::http::Request::patch(format!("/scim/v2{path}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/scim+json")
            .header("if-match", tag)
            .body(axum::body::Body::from(add.to_string()))
            .unwrap()
    };
    app.scim_request(req(&before)).await.error(412, None);
    let r = app.scim_request(req(now.etag.as_deref().unwrap())).await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
    assert_eq!(read(&app, &path, &token).await, sorted(ids.clone()));
}

#[tokio::test]
async fn a_patch_changes_only_the_members_it_names() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    let ids = users(&app, &token, 3).await;
    let g = app
        .scim(
            "POST",
            "/Groups",
            &token,
            Some(json!({"displayName": "Ops", "members": [{"value": ids[0]}]})),
        )
        .await
        .expect(201);
    let path = format!("/Groups/{}", g["id"].as_str().unwrap());
    // Two PATCHes at once, each adding its own member: both stay.
    let a = patch_op(json!([{"op": "add", "path": "members", "value": [{"value": ids[1]}]}]));
    let b = patch_op(json!([{"op": "add", "path": "members", "value": [{"value": ids[2]}]}]));
    let (ra, rb) = tokio::join!(
        app.scim("PATCH", &path, &token, Some(a)),
        app.scim("PATCH", &path, &token, Some(b)),
    );
    assert_eq!(
        (ra.status.as_u16(), rb.status.as_u16()),
        (204, 204),
        "{} {}",
        ra.text,
        rb.text
    );
    assert_eq!(read(&app, &path, &token).await, sorted(ids.clone()));
}
