//! `infra/template.yaml` against the operation table: one route per
//! operation, on the function the table names, and the read function with no
//! write permission. (`cfn-lint` checks the template itself in the test command.)

use std::collections::BTreeSet;

use roster_api::OPERATIONS;
use roster_tests::infra::{resource, resource_name, template};

/// `(resource, path)` of every route in the template.
fn routes(text: &str) -> BTreeSet<(String, String)> {
    let mut current = String::new();
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with("  ") && !line.starts_with("   ") && line.ends_with(':') {
            current = line.trim().trim_end_matches(':').to_string();
        }
        if let Some(path) = line.trim().strip_prefix("Path: ") {
            out.insert((current.clone(), path.to_string()));
        }
    }
    out
}

#[test]
fn every_operation_has_one_route_on_its_function() {
    let expected: BTreeSet<_> = OPERATIONS
        .iter()
        .map(|op| (resource_name(op.function), format!("/{}", op.path)))
        .collect();
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
fn mail_goes_out_from_write_and_public_only() {
    let text = template();
    // Invites from write; reset and registration links from public.
    assert!(resource(&text, "WriteFunction").contains("ses:SendEmail"));
    assert!(resource(&text, "PublicFunction").contains("ses:SendEmail"));
    assert!(!resource(&text, "ReadFunction").contains("ses:"));
}

#[test]
fn only_the_write_function_administers_mfa() {
    let text = template();
    assert!(resource(&text, "WriteFunction").contains("AdminSetUserMFAPreference"));
    assert!(!resource(&text, "PublicFunction").contains("AdminSetUserMFAPreference"));
}
