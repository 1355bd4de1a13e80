//! `account/scimTokenCreate`, `account/scimTokens`, `account/scimTokenRevoke`,
//! and what a SCIM token may and may not do.

use roster_tests::app::{other_account, TestApp};
use serde_json::json;

#[tokio::test]
async fn an_admin_makes_lists_and_revokes_tokens_and_a_revoked_one_stops_at_once() {
    let app = TestApp::new().await;
    let made = app
        .as_owner("account/scimTokenCreate", json!({"name": " Okta "}))
        .await
        .ok();
    let secret = made["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("rscim."), "{made}");
    assert_eq!(made["token"]["name"], "Okta");
    let id = made["token"]["id"].clone();
    assert_eq!(made["token"]["createdBy"], app.owner.id.as_str());

    app.scim("GET", "/Users", &secret, None).await.expect(200);

    // Listed without its secret, or anything of it.
    let list = app.as_owner("account/scimTokens", json!({})).await.ok();
    assert_eq!(list["tokens"].as_array().unwrap().len(), 1, "{list}");
    let text = list.to_string();
    let secret_part = secret.rsplit('.').next().unwrap();
    assert!(!text.contains(secret_part), "{list}");
    assert!(list["tokens"][0].get("hash").is_none(), "{list}");

    app.as_owner("account/scimTokenRevoke", json!({"id": id}))
        .await
        .ok();
    app.scim("GET", "/Users", &secret, None)
        .await
        .error(401, None);
    let list = app.as_owner("account/scimTokens", json!({})).await.ok();
    assert_eq!(list["tokens"], json!([]));
    app.as_owner("account/scimTokenRevoke", json!({"id": id}))
        .await
        .err(404, "NOT_FOUND");
}

#[tokio::test]
async fn the_store_keeps_only_a_hash_of_the_secret() {
    let app = TestApp::new().await;
    let made = app
        .as_owner("account/scimTokenCreate", json!({"name": "Entra"}))
        .await
        .ok();
    let secret = made["secret"].as_str().unwrap();
    let parts: Vec<&str> = secret.splitn(4, '.').collect();
    let aid = roster_core::domain::AccountId::parse(parts[1]).unwrap();
    let tid = roster_core::domain::ScimTokenId::parse(parts[2]).unwrap();
    let item = app
        .roster
        .table
        .get(&roster_core::repo::keys::scim_token(aid, tid), true)
        .await
        .unwrap()
        .unwrap();
    let stored = serde_json::Value::Object(item).to_string();
    assert!(!stored.contains(parts[3]), "{stored}");
    assert!(stored.contains(&roster_core::crypto::sha256_hex(parts[3].as_bytes())));
}

#[tokio::test]
async fn only_admins_manage_tokens() {
    let app = TestApp::new().await;
    let ann = app.member("ann@example.com", "user").await;
    let adm = app.member("adm@example.com", "admin").await;
    app.as_member(&ann, "account/scimTokenCreate", json!({"name": "x"}))
        .await
        .err(403, "FORBIDDEN");
    app.as_member(&ann, "account/scimTokens", json!({}))
        .await
        .err(403, "FORBIDDEN");
    let made = app
        .as_member(&adm, "account/scimTokenCreate", json!({"name": "x"}))
        .await
        .ok();
    app.as_member(
        &ann,
        "account/scimTokenRevoke",
        json!({"id": made["token"]["id"]}),
    )
    .await
    .err(403, "FORBIDDEN");
    // Another admin revokes it: the account's tokens are every admin's.
    app.as_owner(
        "account/scimTokenRevoke",
        json!({"id": made["token"]["id"]}),
    )
    .await
    .ok();
}

#[tokio::test]
async fn a_token_needs_a_name_and_an_account_holds_ten() {
    let app = TestApp::new().await;
    for bad in [
        json!({}),
        json!({"name": "  "}),
        json!({"name": "x".repeat(101)}),
    ] {
        let r = app.as_owner("account/scimTokenCreate", bad.clone()).await;
        assert!(matches!(r.status.as_u16(), 400), "{bad}: {}", r.body);
    }
    app.as_owner("account/scimTokenCreate", json!({"name": " "}))
        .await
        .err(400, "INVALID");
    let mut ids = Vec::new();
    for i in 0..10 {
        let made = app
            .as_owner("account/scimTokenCreate", json!({"name": format!("t{i}")}))
            .await
            .ok();
        ids.push(made["token"]["id"].clone());
    }
    app.as_owner("account/scimTokenCreate", json!({"name": "eleventh"}))
        .await
        .err(409, "CONFLICT");
    app.as_owner("account/scimTokenRevoke", json!({"id": ids[0]}))
        .await
        .ok();
    app.as_owner("account/scimTokenCreate", json!({"name": "eleventh"}))
        .await
        .ok();
    app.as_owner("account/scimTokenRevoke", json!({"id": "nope"}))
        .await
        .err(400, "INVALID");
}

#[tokio::test]
async fn a_token_works_on_scim_alone_and_for_its_own_account_alone() {
    let app = TestApp::new().await;
    let secret = app.scim_token().await;
    // Not a native credential.
    app.call("user/info", Some(&secret), json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    // A native access token is no SCIM credential.
    app.scim("GET", "/Users", &app.owner.token, None)
        .await
        .error(401, None);
    // Nor is a token altered, or none at all.
    let altered = format!("{}x", secret);
    app.scim("GET", "/Users", &altered, None)
        .await
        .error(401, None);
    let r = app
        .scim_request(
            axum::http::Request::get("/scim/v2/Users")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    r.error(401, None);

    // Another account's users don't exist for it.
    let boss = other_account(&app).await;
    let theirs = app
        .call("user/get", Some(&boss.token), json!({"id": boss.id}))
        .await
        .ok();
    app.scim(
        "GET",
        &format!("/Users/{}", theirs["id"].as_str().unwrap()),
        &secret,
        None,
    )
    .await
    .error(404, None);
    let list = app
        .scim(
            "GET",
            "/Users?filter=userName%20eq%20%22boss%40other.com%22",
            &secret,
            None,
        )
        .await
        .expect(200);
    assert_eq!(list["totalResults"], 0, "{list}");
    app.scim("DELETE", &format!("/Users/{}", boss.id), &secret, None)
        .await
        .error(404, None);
}

#[tokio::test]
async fn what_a_token_does_is_audited_under_its_id() {
    let app = TestApp::new().await;
    let made = app
        .as_owner("account/scimTokenCreate", json!({"name": "Okta"}))
        .await
        .ok();
    let secret = made["secret"].as_str().unwrap();
    let tid = made["token"]["id"].as_str().unwrap();
    app.scim(
        "POST",
        "/Users",
        secret,
        Some(roster_tests::scim::okta_user(
            "ivy@example.com",
            "Ivy",
            "Ng",
        )),
    )
    .await
    .expect(201);
    let log = app
        .as_owner("account/audit", json!({"actor": tid}))
        .await
        .ok();
    let entries = log["data"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{log}");
    assert_eq!(entries[0]["action"], "user/invite");
    assert_eq!(entries[0]["actor"], json!({"id": tid, "email": ""}));
    let log = app
        .as_owner(
            "account/audit",
            json!({"action": "account/scimTokenCreate"}),
        )
        .await
        .ok();
    assert_eq!(log["data"][0]["target"]["kind"], "scimToken", "{log}");
    assert_eq!(log["data"][0]["actor"]["id"], app.owner.id.as_str());
}

#[tokio::test]
async fn a_token_stops_when_its_admin_is_no_admin() {
    let app = TestApp::new().await;
    let adm = app.member("adm@example.com", "admin").await;
    let made = app
        .as_member(&adm, "account/scimTokenCreate", json!({"name": "Okta"}))
        .await
        .ok();
    let secret = made["secret"].as_str().unwrap();
    app.scim("GET", "/Users", secret, None).await.expect(200);
    app.as_owner("user/updateRole", json!({"id": adm.id, "role": "user"}))
        .await
        .ok();
    app.scim("GET", "/Users", secret, None)
        .await
        .error(401, None);
    app.as_owner("user/updateRole", json!({"id": adm.id, "role": "admin"}))
        .await
        .ok();
    app.scim("GET", "/Users", secret, None).await.expect(200);
    app.as_owner("user/update", json!({"id": adm.id, "state": "disabled"}))
        .await
        .ok();
    app.scim("GET", "/Users", secret, None)
        .await
        .error(401, None);
    app.as_owner("user/remove", json!({"id": adm.id}))
        .await
        .ok();
    app.scim("GET", "/Users", secret, None)
        .await
        .error(401, None);
}

#[tokio::test]
async fn the_token_is_nobody_among_the_users() {
    let app = TestApp::new().await;
    let made = app
        .as_owner("account/scimTokenCreate", json!({"name": "Okta"}))
        .await
        .ok();
    let secret = made["secret"].as_str().unwrap();
    let tid = made["token"]["id"].as_str().unwrap();
    // Its id is no user's: not found, whatever is asked of it.
    let path = format!("/Users/{tid}");
    app.scim("GET", &path, secret, None).await.error(404, None);
    let p =
        roster_tests::scim::patch_op(json!([{"op": "replace", "path": "active", "value": false}]));
    app.scim("PATCH", &path, secret, Some(p))
        .await
        .error(404, None);
    app.scim("DELETE", &path, secret, None)
        .await
        .error(404, None);
    let list = app
        .scim(
            "GET",
            &format!("/Users?filter=id%20eq%20%22{tid}%22"),
            secret,
            None,
        )
        .await
        .expect(200);
    assert_eq!(list["totalResults"], 0, "{list}");
}
