//! `infra/template.yaml` against the operation tables: one route per
//! operation, compatibility route and page, on the function the table names, and the read function with no
//! write permission. (`cfn-lint` checks the template itself in the test command.)

use std::collections::BTreeSet;

use roster_api::OPERATIONS;
use roster_tests::infra::{resource, resource_name, template};

/// `(resource, method, path)` of every route in the template.
fn routes(text: &str) -> BTreeSet<(String, String, String)> {
    let mut current = String::new();
    let mut path = String::new();
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with("  ") && !line.starts_with("   ") && line.ends_with(':') {
            current = line.trim().trim_end_matches(':').to_string();
        }
        if let Some(p) = line.trim().strip_prefix("Path: ") {
            path = p.to_string();
        }
        if let Some(method) = line.trim().strip_prefix("Method: ") {
            out.insert((current.clone(), method.to_string(), path.clone()));
        }
    }
    out
}

#[test]
fn every_operation_compatibility_route_and_page_has_one_route_on_its_function() {
    let native = OPERATIONS.iter().map(|op| {
        (
            resource_name(op.function),
            "POST".into(),
            format!("/{}", op.path),
        )
    });
    let compat = roster_api::compat::ROUTES.iter().map(|r| {
        (
            resource_name(r.function),
            r.method.as_str().to_string(),
            r.path.to_string(),
        )
    });
    let pages = roster_api::pages::PAGES
        .iter()
        .map(|p| (resource_name(p.function), "GET".into(), p.path.to_string()))
        .chain(
            [roster_api::pages::ASSETS_ROUTE, roster_api::openapi::ROUTE].map(|path| {
                (
                    resource_name(roster_api::Function::Public),
                    "GET".into(),
                    path.to_string(),
                )
            }),
        );
    let scim_function = resource_name(roster_api::scim::FUNCTION);
    let scim = roster_api::scim::ROUTES
        .iter()
        .map(|r| {
            (
                scim_function.clone(),
                r.method.as_str().to_string(),
                r.path.to_string(),
            )
        })
        .chain([
            (
                scim_function.clone(),
                "GET".into(),
                roster_api::scim::BASE.into(),
            ),
            (
                scim_function.clone(),
                "ANY".into(),
                roster_api::scim::GATEWAY_CATCH_ALL.into(),
            ),
        ]);
    let expected: BTreeSet<_> = native.chain(compat).chain(pages).chain(scim).collect();
    assert_eq!(routes(&template()), expected);
}

#[test]
fn the_read_function_holds_no_write_action() {
    let text = template();
    let read = resource(&text, "ReadFunction");
    assert!(read.contains("dynamodb:Query"), "{read}");
    for action in [
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "ConditionCheckItem",
        "ses:",
        "cognito-idp:",
    ] {
        assert!(!read.contains(action), "ReadFunction may {action}");
    }
}

#[test]
fn mail_goes_out_from_write_public_and_scim_only() {
    let text = template();
    // Invites from write (and scim, for provisioned users); reset and
    // registration links from public.
    assert!(resource(&text, "WriteFunction").contains("ses:SendEmail"));
    assert!(resource(&text, "ScimFunction").contains("ses:SendEmail"));
    assert!(resource(&text, "PublicFunction").contains("ses:SendEmail"));
    assert!(!resource(&text, "ReadFunction").contains("ses:"));
}

#[test]
fn only_the_write_function_administers_mfa() {
    let text = template();
    assert!(resource(&text, "WriteFunction").contains("AdminSetUserMFAPreference"));
    assert!(!resource(&text, "PublicFunction").contains("AdminSetUserMFAPreference"));
}

#[test]
fn the_scim_function_holds_only_what_scim_calls() {
    let text = template();
    let scim = resource(&text, "ScimFunction");
    assert!(scim.contains("Binary: roster-scim"), "{scim}");
    for needed in [
        "dynamodb:TransactWriteItems",
        "ses:SendEmail",
        "cognito-idp:AdminDisableUser",
    ] {
        // TransactWriteItems is granted as the writes it holds.
        let needed = needed.replace("dynamodb:TransactWriteItems", "dynamodb:ConditionCheckItem");
        assert!(scim.contains(&needed), "ScimFunction lacks {needed}");
    }
    // No password, MFA or sign-in administration: SCIM never sets a password.
    for action in [
        "AdminSetUserPassword",
        "AdminInitiateAuth",
        "AdminSetUserMFAPreference",
        "AdminCreateUser",
        "AdminRespondToAuthChallenge",
    ] {
        assert!(!scim.contains(action), "ScimFunction may {action}");
    }
}
