//! The request sequences Okta and Entra ID send (from their SCIM guides),
//! replayed in order, with what each expects back.

use roster_tests::app::TestApp;
use roster_tests::scim::patch_op;
use serde_json::json;

#[tokio::test]
async fn okta_provisions_a_user_and_pushes_a_group() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    // Okta looks the user up before it creates one.
    let q = "/Users?filter=userName%20eq%20%22ada%40example.com%22&startIndex=1&count=100";
    let none = app.scim("GET", q, &token, None).await.expect(200);
    assert_eq!(none["totalResults"], 0);
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "ada@example.com",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"primary": true, "value": "ada@example.com", "type": "work"}],
        "displayName": "Ada Lovelace", "locale": "en-US", "externalId": "00u1ada",
        "groups": [], "password": "1mz050nq", "active": true,
    });
    let u = app
        .scim("POST", "/Users", &token, Some(body.clone()))
        .await
        .expect(201);
    let id = u["id"].as_str().unwrap().to_string();
    // A retry of the same create: 409 uniqueness.
    app.scim("POST", "/Users", &token, Some(body))
        .await
        .error(409, Some("uniqueness"));
    let found = app.scim("GET", q, &token, None).await.expect(200);
    assert_eq!(found["Resources"][0]["id"], id.as_str());
    app.scim("GET", &format!("/Users/{id}"), &token, None)
        .await
        .expect(200);
    // Profile update: a full PUT.
    let mut put = found["Resources"][0].clone();
    put["name"]["familyName"] = json!("King");
    let v = app
        .scim("PUT", &format!("/Users/{id}"), &token, Some(put))
        .await
        .expect(200);
    assert_eq!(v["name"]["familyName"], "King");
    // Deactivate, reactivate.
    let off = patch_op(json!([{"op": "replace", "value": {"active": false}}]));
    assert_eq!(
        app.scim("PATCH", &format!("/Users/{id}"), &token, Some(off))
            .await
            .expect(200)["active"],
        false
    );
    let on = patch_op(json!([{"op": "replace", "value": {"active": true}}]));
    assert_eq!(
        app.scim("PATCH", &format!("/Users/{id}"), &token, Some(on))
            .await
            .expect(200)["active"],
        true
    );

    // Group push.
    let g = app
        .scim(
            "POST",
            "/Groups",
            &token,
            Some(json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "Analysts", "members": [],
            })),
        )
        .await
        .expect(201);
    let gpath = format!("/Groups/{}", g["id"].as_str().unwrap());
    let add = patch_op(
        json!([{"op": "add", "path": "members", "value": [{"value": id, "display": "ada@example.com"}]}]),
    );
    app.scim("PATCH", &gpath, &token, Some(add)).await;
    let rename = patch_op(
        json!([{"op": "replace", "value": {"id": g["id"], "displayName": "Analysts EU"}}]),
    );
    app.scim("PATCH", &gpath, &token, Some(rename)).await;
    let now = app.scim("GET", &gpath, &token, None).await.expect(200);
    assert_eq!(now["displayName"], "Analysts EU");
    assert_eq!(now["members"][0]["value"], id.as_str());
    let rm = patch_op(json!([{"op": "remove", "path": format!("members[value eq \"{id}\"]")}]));
    app.scim("PATCH", &gpath, &token, Some(rm)).await;
    assert_eq!(
        app.scim("GET", &gpath, &token, None).await.expect(200)["members"],
        json!([])
    );
    assert_eq!(
        app.scim("DELETE", &gpath, &token, None)
            .await
            .status
            .as_u16(),
        204
    );
}

#[tokio::test]
async fn entra_provisions_a_user_and_a_group() {
    let app = TestApp::new().await;
    let token = app.scim_token().await;
    // The connection test: a random userName, an empty ListResponse.
    let probe = "/Users?filter=userName+eq+%22non-existent-user-7f3c%22";
    let none = app.scim("GET", probe, &token, None).await.expect(200);
    assert_eq!(
        (none["totalResults"].clone(), none["Resources"].clone()),
        (json!(0), json!([]))
    );
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": "58342554-38d6-4ec8-948c-50044d0a33fd",
        "userName": "Test_User_feed3ace@contoso.com",
        "active": true,
        "displayName": "Test User",
        "emails": [{"primary": true, "type": "work", "value": "Test_User_feed3ace@contoso.com"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
        "roles": [],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "12", "department": "Sales"},
    });
    let u = app
        .scim("POST", "/Users", &token, Some(body))
        .await
        .expect(201);
    let id = u["id"].as_str().unwrap().to_string();
    let by_ext = "/Users?filter=externalId+eq+%2258342554-38d6-4ec8-948c-50044d0a33fd%22";
    assert_eq!(
        app.scim("GET", by_ext, &token, None).await.expect(200)["Resources"][0]["id"],
        id.as_str()
    );
    let upath = format!("/Users/{id}");
    let p = patch_op(json!([
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
        {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "Test_User_feed3ace@contoso.com"},
        {"op": "Replace", "value": {"name.givenName": "updatedGivenName"}},
        {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Ops"},
    ]));
    let v = app.scim("PATCH", &upath, &token, Some(p)).await.expect(200);
    assert_eq!(
        v["name"],
        json!({"givenName": "updatedGivenName", "familyName": "updatedFamilyName"})
    );
    let off = patch_op(json!([{"op": "Replace", "path": "active", "value": "False"}]));
    assert_eq!(
        app.scim("PATCH", &upath, &token, Some(off))
            .await
            .expect(200)["active"],
        false
    );

    let g = app
        .scim("POST", "/Groups", &token, Some(json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group"],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "displayName", "meta": {"resourceType": "Group"},
        })))
        .await
        .expect(201);
    let gid = g["id"].as_str().unwrap().to_string();
    let q = "/Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22";
    let found = app.scim("GET", q, &token, None).await.expect(200);
    assert_eq!(found["Resources"][0]["id"], gid.as_str());
    let gpath = format!("/Groups/{gid}");
    let add =
        patch_op(json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": id}]}]));
    let r = app.scim("PATCH", &gpath, &token, Some(add)).await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
    let rm = patch_op(
        json!([{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": id}]}]),
    );
    app.scim("PATCH", &gpath, &token, Some(rm)).await;
    let g = app
        .scim(
            "GET",
            &format!("{gpath}?excludedAttributes=members"),
            &token,
            None,
        )
        .await
        .expect(200);
    assert!(g.get("members").is_none());
    assert_eq!(
        app.scim("GET", &gpath, &token, None).await.expect(200)["members"],
        json!([])
    );
    assert_eq!(
        app.scim("DELETE", &upath, &token, None)
            .await
            .status
            .as_u16(),
        204
    );
    app.scim("GET", &upath, &token, None).await.error(404, None);
}
