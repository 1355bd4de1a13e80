//! AWS round trips per operation, counted by an SDK interceptor on the
//! emulator. Each operation has a budget (DESIGN §7: the caller's GetItem,
//! one call per single-item read, one Query per page, one
//! TransactWriteItems per write, plus the mail or identity call it exists
//! for); this test fails when one makes more calls than listed here and in
//! the README.

use roster_aws::CallLog;
use roster_tests::app::{token_of, Backend, Options, TestApp, PASSWORD};
use roster_tests::scim::{okta_user, patch_op};
use roster_tests::totp;
use serde_json::json;

/// `(operation, calls)`, in the README's order.
const BUDGET: &[(&str, &[&str])] = &[
    ("user/info", &["DynamoDB.GetItem", "DynamoDB.GetItem"]),
    ("user/get", &["DynamoDB.GetItem", "DynamoDB.GetItem"]),
    ("user/find", &["DynamoDB.GetItem", "DynamoDB.Query"]),
    ("account/get", &["DynamoDB.GetItem", "DynamoDB.GetItem"]),
    (
        "account/update",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
            "DynamoDB.GetItem",
        ],
    ),
    (
        "user/invite",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "SESv2.SendEmail",
        ],
    ),
    (
        "user/resendInvite",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "SESv2.SendEmail",
        ],
    ),
    (
        "user/signupInfo",
        &["DynamoDB.GetItem", "DynamoDB.BatchGetItem"],
    ),
    (
        "user/signup",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "Cognito Identity Provider.AdminCreateUser",
            "Cognito Identity Provider.AdminSetUserPassword",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/login",
        &[
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "Cognito Identity Provider.AdminInitiateAuth",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/login (MFA challenge)",
        &[
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "Cognito Identity Provider.AdminInitiateAuth",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/login (MFA code)",
        &[
            "DynamoDB.TransactWriteItems",
            "DynamoDB.BatchGetItem",
            "Cognito Identity Provider.AdminRespondToAuthChallenge",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/login (recovery code)",
        &[
            "DynamoDB.TransactWriteItems",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/login (register)",
        &[
            "DynamoDB.TransactWriteItems",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
            "SESv2.SendEmail",
        ],
    ),
    (
        "user/login (hosted UI)",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/refresh",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/update",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/updateRole",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/changePassword",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
            "Cognito Identity Provider.AdminInitiateAuth",
            "DynamoDB.TransactWriteItems",
            "Cognito Identity Provider.AdminSetUserPassword",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/forgotPassword",
        &[
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
            "SESv2.SendEmail",
        ],
    ),
    (
        "user/resetPassword",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
            "Cognito Identity Provider.AdminSetUserPassword",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/mfaSecret",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "Cognito Identity Provider.AdminInitiateAuth",
            "Cognito Identity Provider.AssociateSoftwareToken",
        ],
    ),
    (
        "user/setMfa",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "Cognito Identity Provider.AdminInitiateAuth",
            "Cognito Identity Provider.VerifySoftwareToken",
            "Cognito Identity Provider.AdminSetUserMFAPreference",
            "DynamoDB.TransactWriteItems",
            "SESv2.SendEmail",
        ],
    ),
    (
        "user/setMfa (off)",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
            "DynamoDB.GetItem",
            "Cognito Identity Provider.AdminInitiateAuth",
            "Cognito Identity Provider.VerifySoftwareToken",
            "Cognito Identity Provider.AdminSetUserMFAPreference",
            "DynamoDB.TransactWriteItems",
            "SESv2.SendEmail",
        ],
    ),
    (
        "user/regenerateRecoveryCodes",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
            "DynamoDB.GetItem",
            "Cognito Identity Provider.AdminInitiateAuth",
            "Cognito Identity Provider.VerifySoftwareToken",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "user/resetMfa",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "Cognito Identity Provider.AdminSetUserMFAPreference",
            "DynamoDB.TransactWriteItems",
            "SESv2.SendEmail",
        ],
    ),
    (
        // Measured on a user in a group: its groups are read in one batch.
        "user/remove",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "Cognito Identity Provider.AdminDeleteUser",
        ],
    ),
    (
        "user/logout",
        &["DynamoDB.GetItem", "DynamoDB.TransactWriteItems"],
    ),
    ("account/usage", &["DynamoDB.GetItem", "DynamoDB.GetItem"]),
    ("account/audit", &["DynamoDB.GetItem", "DynamoDB.Query"]),
    (
        "account/scimTokenCreate",
        &["DynamoDB.GetItem", "DynamoDB.TransactWriteItems"],
    ),
    (
        "account/scimTokens",
        &["DynamoDB.GetItem", "DynamoDB.Query"],
    ),
    (
        "account/scimTokenRevoke",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "group/create",
        &["DynamoDB.GetItem", "DynamoDB.TransactWriteItems"],
    ),
    ("group/get", &["DynamoDB.GetItem", "DynamoDB.GetItem"]),
    (
        "group/update",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "group/find",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.Query",
            "DynamoDB.BatchGetItem",
        ],
    ),
    (
        "group/assign",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "group/members",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.Query",
            "DynamoDB.BatchGetItem",
        ],
    ),
    (
        "group/ofUser",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.Query",
            "DynamoDB.BatchGetItem",
        ],
    ),
    (
        "user/find (details)",
        &["DynamoDB.GetItem", "DynamoDB.Query", "DynamoDB.Query"],
    ),
    (
        "group/unassign",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        // Two rows, one new, one member: the claims and the account in one
        // batch, the member in another, the names in one Query, one
        // transaction, one mail.
        "group/import",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.Query",
            "DynamoDB.TransactWriteItems",
            "SESv2.SendEmail",
        ],
    ),
    (
        "group/remove",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
            "DynamoDB.Query",
            "DynamoDB.Query",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
];

fn budget(op: &str) -> Vec<String> {
    BUDGET
        .iter()
        .find(|(name, _)| *name == op)
        .map(|(_, calls)| calls.iter().map(|c| c.to_string()).collect())
        .unwrap_or_else(|| panic!("{op} has no budget"))
}

#[tokio::test]
async fn every_operation_stays_within_its_aws_call_budget() {
    if roster_tests::aws::endpoint().is_none() {
        eprintln!("skipped: no AWS emulator");
        return;
    }
    let calls = CallLog::default();
    let app = TestApp::with(Options {
        backend: Some(Backend::Aws),
        calls: Some(calls.clone()),
        open_registration: true,
        ..Options::default()
    })
    .await;
    let ann_invite = app.invite("ann@example.com", "user").await;
    let bob = app.member("bob@example.com", "user").await;
    let owner = &app.owner;
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    let mut check = |op: &str, calls: Vec<String>| {
        let want = budget(op);
        assert!(
            calls.len() <= want.len(),
            "{op} made {} AWS calls, its budget is {}: {calls:?}",
            calls.len(),
            want.len()
        );
        // Fewer calls than listed means the list (and the README) is stale.
        let (mut got, mut listed) = (calls.clone(), want.clone());
        got.sort();
        listed.sort();
        assert_eq!(
            got, listed,
            "{op}: update its budget here and in the README"
        );
        seen.push((op.to_string(), calls));
    };

    calls.take();
    let steps: Vec<(&str, Option<&str>, serde_json::Value)> = vec![
        ("user/info", Some(&owner.token), json!({})),
        ("user/get", Some(&owner.token), json!({"id": bob.id})),
        ("user/find", Some(&owner.token), json!({})),
        ("account/get", Some(&owner.token), json!({})),
        (
            "account/update",
            Some(&owner.token),
            json!({"name": "Acme 2"}),
        ),
        (
            "user/invite",
            Some(&owner.token),
            json!({"email": "cy@example.com", "role": "user"}),
        ),
        (
            "user/resendInvite",
            Some(&owner.token),
            json!({"id": ann_invite["id"]}),
        ),
        (
            "user/update",
            Some(&owner.token),
            json!({"id": bob.id, "first": "Bobby"}),
        ),
        (
            "user/updateRole",
            Some(&owner.token),
            json!({"id": bob.id, "role": "viewer"}),
        ),
    ];
    for (op, token, body) in steps {
        app.call(op, token, body).await.ok();
        check(op, calls.take());
    }

    let token = app.invite_token_from_mail("ann@example.com").unwrap();
    app.call("user/signupInfo", None, json!({"token": token}))
        .await
        .ok();
    check("user/signupInfo", calls.take());
    app.call(
        "user/signup",
        None,
        json!({"token": token, "password": PASSWORD}),
    )
    .await
    .ok();
    check("user/signup", calls.take());
    let v = app.login("ann@example.com", PASSWORD).await.ok();
    check("user/login", calls.take());
    let refresh = v["refreshToken"].as_str().unwrap().to_string();
    let v = app
        .call("user/refresh", None, json!({"refreshToken": refresh}))
        .await
        .ok();
    check("user/refresh", calls.take());
    let ann = v["accessToken"].as_str().unwrap().to_string();
    app.call("user/logout", Some(&ann), json!({})).await.ok();
    check("user/logout", calls.take());

    // A linked hosted-UI identity logging in again (its JWKS fetch is not an
    // SDK call; it happens once per process).
    app.as_owner(
        "user/invite",
        json!({"email": "dee@example.com", "role": "user"}),
    )
    .await
    .ok();
    let invite = app.invite_token_from_mail("dee@example.com").unwrap();
    let id_token = app.hosted_token("dee", "dee@example.com", true).await;
    app.hosted_login(&id_token, json!({"invite": invite}))
        .await
        .ok();
    calls.take();
    app.hosted_login(&id_token, json!({})).await.ok();
    check("user/login (hosted UI)", calls.take());
    app.call(
        "user/changePassword",
        Some(&bob.token),
        json!({"currentPassword": PASSWORD, "password": "another long secret"}),
    )
    .await
    .ok();
    check("user/changePassword", calls.take());

    // A forgotten password, reset from the mailed link.
    app.call(
        "user/forgotPassword",
        None,
        json!({"email": "bob@example.com"}),
    )
    .await
    .ok();
    check("user/forgotPassword", calls.take());
    let link = app
        .link_from_mail("bob@example.com", "/reset?token=")
        .unwrap();
    app.call(
        "user/resetPassword",
        None,
        json!({"token": token_of(&link), "password": "reset from the link"}),
    )
    .await
    .ok();
    check("user/resetPassword", calls.take());
    let r = app
        .call(
            "user/login",
            None,
            json!({"register": true, "email": "new@example.com",
                   "password": PASSWORD, "accountName": "Newco"}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 202, "{}", r.body);
    check("user/login (register)", calls.take());

    // MFA: enrol, the two-step login (a code, then a recovery code),
    // recovery codes, off, and an admin's reset.
    let eve = app.member("eve@example.com", "user").await;
    calls.take();
    let v = app.as_member(&eve, "user/mfaSecret", json!({})).await.ok();
    check("user/mfaSecret", calls.take());
    let secret = v["secret"].as_str().unwrap().to_string();
    let v = app
        .as_member(
            &eve,
            "user/setMfa",
            json!({"enabled": true, "code": totp::code(&secret)}),
        )
        .await
        .ok();
    check("user/setMfa", calls.take());
    let recovery = v["recoveryCodes"][0].as_str().unwrap().to_string();
    let session = app.challenge("eve@example.com", PASSWORD).await;
    check("user/login (MFA challenge)", calls.take());
    let v = app.answer(&session, &totp::code(&secret)).await.ok();
    check("user/login (MFA code)", calls.take());
    let eve_token = v["accessToken"].as_str().unwrap().to_string();
    let session = app.challenge("eve@example.com", PASSWORD).await;
    calls.take();
    app.answer(&session, &recovery).await.ok();
    check("user/login (recovery code)", calls.take());
    app.call(
        "user/regenerateRecoveryCodes",
        Some(&eve_token),
        json!({"code": totp::code(&secret)}),
    )
    .await
    .ok();
    check("user/regenerateRecoveryCodes", calls.take());
    app.call(
        "user/setMfa",
        Some(&eve_token),
        json!({"enabled": false, "code": totp::code(&secret)}),
    )
    .await
    .ok();
    check("user/setMfa (off)", calls.take());
    let eve_id = app
        .as_owner("user/get", json!({"email": "eve@example.com"}))
        .await
        .ok()["id"]
        .clone();
    calls.take();
    app.as_owner("user/resetMfa", json!({"id": eve_id}))
        .await
        .ok();
    check("user/resetMfa", calls.take());

    // Groups, membership, usage and the audit log.
    let tok = Some(owner.token.as_str());
    app.call("account/usage", tok, json!({})).await.ok();
    check("account/usage", calls.take());
    let g = app
        .call("group/create", tok, json!({"name": "Eng"}))
        .await
        .ok();
    check("group/create", calls.take());
    let gid = g["id"].clone();
    app.call("group/get", tok, json!({"id": gid})).await.ok();
    check("group/get", calls.take());
    let body = json!({"id": gid, "description": "builds"});
    app.call("group/update", tok, body).await.ok();
    check("group/update", calls.take());
    app.call("group/find", tok, json!({})).await.ok();
    check("group/find", calls.take());
    let pair = json!({"assignments": [{"userId": bob.id, "groupId": gid}]});
    app.call("group/assign", tok, pair.clone()).await.ok();
    check("group/assign", calls.take());
    app.call("group/members", tok, json!({"groupId": gid}))
        .await
        .ok();
    check("group/members", calls.take());
    app.call("group/ofUser", tok, json!({"userId": bob.id}))
        .await
        .ok();
    check("group/ofUser", calls.take());
    app.call("user/find", tok, json!({"details": true}))
        .await
        .ok();
    check("user/find (details)", calls.take());
    let body = json!({"userId": bob.id, "groupId": gid});
    app.call("group/unassign", tok, body).await.ok();
    check("group/unassign", calls.take());
    app.call("group/assign", tok, pair).await.ok();
    calls.take();
    let rows = json!({"rows": [
        {"user": {"email": "imported@example.com", "role": "user"}, "groups": ["Eng", "Design"]},
        {"user": {"email": bob.email, "role": "user"}, "groups": ["Design"]},
    ]});
    let done = app.call("group/import", tok, rows).await.ok();
    assert_eq!(done["results"][0]["status"], "invited", "{done}");
    assert_eq!(done["results"][1]["status"], "existing", "{done}");
    check("group/import", calls.take());
    app.call("group/remove", tok, json!({"id": gid})).await.ok();
    check("group/remove", calls.take());
    app.call("account/audit", tok, json!({})).await.ok();
    check("account/audit", calls.take());
    let made = app
        .call("account/scimTokenCreate", tok, json!({"name": "Okta"}))
        .await
        .ok();
    check("account/scimTokenCreate", calls.take());
    app.call("account/scimTokens", tok, json!({})).await.ok();
    check("account/scimTokens", calls.take());
    let body = json!({"id": made["token"]["id"]});
    app.call("account/scimTokenRevoke", tok, body).await.ok();
    check("account/scimTokenRevoke", calls.take());

    app.call("user/remove", Some(&owner.token), json!({"id": bob.id}))
        .await
        .ok();
    check("user/remove", calls.take());

    // Every operation of the table is measured.
    for op in roster_api::OPERATIONS {
        assert!(
            seen.iter().any(|(s, _)| s == op.path),
            "{} not measured",
            op.path
        );
    }
    let _ = token_of;

    // And its function's IAM actions (roster_api::deploy, which both deploy
    // paths hold) allow every call it made: a deployed function must not meet
    // AccessDenied.
    for (op, calls) in &seen {
        let path = op.split(' ').next().unwrap_or(op);
        let function = roster_api::OPERATIONS
            .iter()
            .find(|o| o.path == path)
            .unwrap()
            .function;
        for call in calls {
            for action in iam_actions(call) {
                assert!(
                    function.actions().any(|a| a == action),
                    "{op} calls {call}, but the {} function lacks {action}",
                    function.name()
                );
            }
        }
    }
}

/// The IAM actions an SDK call needs. A transaction needs the actions of
/// the writes it may hold.
fn iam_actions(call: &str) -> Vec<String> {
    let (service, operation) = call.split_once('.').unwrap();
    match (service, operation) {
        ("DynamoDB", "TransactWriteItems") => {
            ["PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"]
                .iter()
                .map(|a| format!("dynamodb:{a}"))
                .collect()
        }
        ("DynamoDB", op) => vec![format!("dynamodb:{op}")],
        ("SESv2", op) => vec![format!("ses:{op}")],
        // These act with the user's own access token, not IAM credentials.
        ("Cognito Identity Provider", "AssociateSoftwareToken" | "VerifySoftwareToken") => {
            Vec::new()
        }
        ("Cognito Identity Provider", op) => vec![format!("cognito-idp:{op}")],
        _ => panic!("no IAM mapping for {call}"),
    }
}

/// `(route, calls)` of SCIM, in the README's order. Each request reads the
/// token and the admin who made it first.
const SCIM_BUDGET: &[(&str, &[&str])] = &[
    (
        "POST /Users",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "SESv2.SendEmail",
        ],
    ),
    (
        "GET /Users/{id}",
        &["DynamoDB.GetItem", "DynamoDB.GetItem", "DynamoDB.GetItem"],
    ),
    (
        "GET /Users?filter=userName eq",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
        ],
    ),
    (
        "GET /Users",
        &["DynamoDB.GetItem", "DynamoDB.GetItem", "DynamoDB.Query"],
    ),
    (
        "PATCH /Users/{id}",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "PUT /Users/{id}",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "PATCH /Users/{id} (deactivate)",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
            "Cognito Identity Provider.AdminDisableUser",
        ],
    ),
    (
        "POST /Groups",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "DynamoDB.BatchGetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.Query",
            "DynamoDB.BatchGetItem",
        ],
    ),
    (
        "GET /Groups/{id}",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.Query",
            "DynamoDB.BatchGetItem",
        ],
    ),
    (
        "GET /Groups?excludedAttributes=members",
        &["DynamoDB.GetItem", "DynamoDB.GetItem", "DynamoDB.Query"],
    ),
    (
        "PATCH /Groups/{id} (add a member)",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.Query",
            "DynamoDB.BatchGetItem",
            "DynamoDB.GetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
            "DynamoDB.GetItem",
        ],
    ),
    (
        "DELETE /Groups/{id}",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
            "DynamoDB.Query",
            "DynamoDB.Query",
            "DynamoDB.BatchGetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "DELETE /Users/{id}",
        &[
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.GetItem",
            "DynamoDB.TransactWriteItems",
        ],
    ),
    (
        "GET /ServiceProviderConfig",
        &["DynamoDB.GetItem", "DynamoDB.GetItem"],
    ),
];

#[tokio::test]
async fn every_scim_route_stays_within_its_aws_call_budget() {
    if roster_tests::aws::endpoint().is_none() {
        eprintln!("skipped: no AWS emulator");
        return;
    }
    let calls = CallLog::default();
    let app = TestApp::with(Options {
        backend: Some(Backend::Aws),
        calls: Some(calls.clone()),
        ..Options::default()
    })
    .await;
    let token = app.scim_token().await;
    let bob = app.member("bob@example.com", "user").await;
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    let mut check = |route: &str, got: Vec<String>| {
        let want: Vec<String> = SCIM_BUDGET
            .iter()
            .find(|(name, _)| *name == route)
            .map(|(_, c)| c.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default();
        let (mut g, mut w) = (got.clone(), want.clone());
        g.sort();
        w.sort();
        assert_eq!(g, w, "{route}: update its budget here and in the README");
        seen.push((route.to_string(), got));
    };
    let user = okta_user("ivy@example.com", "Ivy", "Ng");
    calls.take();
    let u = app
        .scim("POST", "/Users", &token, Some(user))
        .await
        .expect(201);
    check("POST /Users", calls.take());
    let upath = format!("/Users/{}", u["id"].as_str().unwrap());
    app.scim("GET", &upath, &token, None).await.expect(200);
    check("GET /Users/{id}", calls.take());
    let q = "/Users?filter=userName%20eq%20%22ivy%40example.com%22";
    app.scim("GET", q, &token, None).await.expect(200);
    check("GET /Users?filter=userName eq", calls.take());
    app.scim("GET", "/Users", &token, None).await.expect(200);
    check("GET /Users", calls.take());
    let p = patch_op(json!([{"op": "replace", "path": "name.givenName", "value": "Ivana"}]));
    app.scim("PATCH", &upath, &token, Some(p)).await.expect(200);
    check("PATCH /Users/{id}", calls.take());
    let mut put = u.clone();
    put["name"]["familyName"] = json!("Ngata");
    app.scim("PUT", &upath, &token, Some(put)).await.expect(200);
    check("PUT /Users/{id}", calls.take());
    let off = patch_op(json!([{"op": "replace", "path": "active", "value": false}]));
    app.scim("PATCH", &format!("/Users/{}", bob.id), &token, Some(off))
        .await
        .expect(200);
    check("PATCH /Users/{id} (deactivate)", calls.take());
    let g = app
        .scim(
            "POST",
            "/Groups",
            &token,
            Some(json!({"displayName": "Eng", "members": [{"value": bob.id}]})),
        )
        .await
        .expect(201);
    check("POST /Groups", calls.take());
    let gpath = format!("/Groups/{}", g["id"].as_str().unwrap());
    app.scim("GET", &gpath, &token, None).await.expect(200);
    check("GET /Groups/{id}", calls.take());
    app.scim("GET", "/Groups?excludedAttributes=members", &token, None)
        .await
        .expect(200);
    check("GET /Groups?excludedAttributes=members", calls.take());
    let add = patch_op(json!([{"op": "add", "path": "members", "value": [{"value": u["id"]}]}]));
    app.scim("PATCH", &gpath, &token, Some(add)).await;
    check("PATCH /Groups/{id} (add a member)", calls.take());
    app.scim("DELETE", &gpath, &token, None).await;
    check("DELETE /Groups/{id}", calls.take());
    app.scim("DELETE", &upath, &token, None).await;
    check("DELETE /Users/{id}", calls.take());
    app.scim("GET", "/ServiceProviderConfig", &token, None)
        .await
        .expect(200);
    check("GET /ServiceProviderConfig", calls.take());

    // The SCIM function's IAM actions allow every call it made.
    let function = roster_api::scim::FUNCTION;
    for (route, calls) in &seen {
        for call in calls {
            for action in iam_actions(call) {
                assert!(
                    function.actions().any(|a| a == action),
                    "{route} calls {call}, but the SCIM function lacks {action}"
                );
            }
        }
    }
}
