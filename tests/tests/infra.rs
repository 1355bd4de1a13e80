//! `infra/template.yaml` against `infra/routes.json`, the manifest roster
//! prints from its tables (`roster-server --print-routes`; `roster_api::deploy`
//! checks the file is current): the same routes, by name, on the same
//! functions, the same IAM actions on the same resources, the same binaries,
//! timeouts, memory and reserved concurrency. The CDK construct builds from
//! the same file, and `infra/cdk/test/compare.py` compares the two deploy
//! paths' templates. (`cfn-lint` checks the template itself in the test
//! command.)

use std::collections::{BTreeMap, BTreeSet};

use roster_tests::infra::{resource, template};
use serde_json::Value;

fn manifest() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/routes.json"))
            .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `ReadFunction` for the manifest's `read`.
fn logical_id(name: &str) -> String {
    format!("{}{}Function", name[..1].to_uppercase(), &name[1..])
}

fn functions(manifest: &Value) -> &Vec<Value> {
    manifest["functions"].as_array().unwrap()
}

/// `(event name, method, path)` of every route of one function's resource.
fn routes_of(resource: &str) -> BTreeSet<(String, String, String)> {
    let mut event = String::new();
    let mut path = String::new();
    let mut out = BTreeSet::new();
    for line in resource.lines() {
        // Events sit at eight spaces of indent.
        if line.starts_with("        ") && !line.starts_with("         ") && line.ends_with(':') {
            event = line.trim().trim_end_matches(':').to_string();
        }
        if let Some(p) = line.trim().strip_prefix("Path: ") {
            path = p.to_string();
        }
        if let Some(method) = line.trim().strip_prefix("Method: ") {
            out.insert((event.clone(), method.to_string(), path.clone()));
        }
    }
    out
}

/// Resource kind (the manifest's grant keys) → actions, of one function's
/// policy statements.
fn grants_of(resource: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for statement in resource.split("- Effect: Allow").skip(1) {
        let actions = statement
            .lines()
            .find_map(|l| l.trim().strip_prefix("Action: ["))
            .unwrap_or_else(|| panic!("a statement without actions: {statement}"));
        let kind = if statement.contains("Table.Arn") {
            assert!(
                statement.contains("${Table.Arn}/index/gs1"),
                "table actions without gs1: {statement}"
            );
            "table"
        } else if statement.contains(":parameter${SigningKeyParameter}") {
            "signingKey"
        } else if statement.contains("UserPool.Arn") {
            "userPool"
        } else if statement.contains("Resource: \"*\"") {
            "mail"
        } else {
            panic!("a statement on an unknown resource: {statement}")
        };
        out.entry(kind.to_string()).or_default().extend(
            actions
                .trim_end_matches(']')
                .split(',')
                .map(|a| a.trim().to_string()),
        );
    }
    out
}

/// The value of `key: …` in a resource, if it has one.
fn property<'a>(resource: &'a str, key: &str) -> Option<&'a str> {
    resource
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}: ")))
}

#[test]
fn every_route_of_the_manifest_is_on_its_function_and_no_other() {
    let text = template();
    let manifest = manifest();
    let mut all = 0;
    for function in functions(&manifest) {
        let name = function["name"].as_str().unwrap();
        let expected: BTreeSet<_> = function["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let s = |k: &str| r[k].as_str().unwrap().to_string();
                (s("name"), s("method"), s("path"))
            })
            .collect();
        all += expected.len();
        assert_eq!(
            routes_of(&resource(&text, &logical_id(name))),
            expected,
            "{name}"
        );
    }
    assert_eq!(text.matches("Type: HttpApi\n").count(), all);
}

#[test]
fn each_function_holds_the_manifests_actions_on_their_resources() {
    let text = template();
    let manifest = manifest();
    for function in functions(&manifest) {
        let name = function["name"].as_str().unwrap();
        let expected: BTreeMap<String, BTreeSet<String>> = function["grants"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(kind, actions)| {
                let actions = actions.as_array().unwrap().iter();
                (
                    kind.clone(),
                    actions.map(|a| a.as_str().unwrap().to_string()).collect(),
                )
            })
            .collect();
        assert_eq!(
            grants_of(&resource(&text, &logical_id(name))),
            expected,
            "{name}"
        );
    }
}

#[test]
fn each_function_runs_the_manifests_binary_with_its_settings() {
    let text = template();
    let globals = text
        .split("\nGlobals:")
        .nth(1)
        .and_then(|g| g.split("\nResources:").next())
        .unwrap_or_default();
    assert_eq!(property(globals, "Runtime"), Some("provided.al2023"));
    assert_eq!(property(globals, "Architectures"), Some("[arm64]"));
    assert_eq!(property(globals, "Handler"), Some("bootstrap"));
    for function in functions(&manifest()) {
        let name = function["name"].as_str().unwrap();
        let own = resource(&text, &logical_id(name));
        assert_eq!(
            property(&own, "Binary"),
            function["binary"].as_str(),
            "{name}"
        );
        let setting = |key: &str| {
            property(&own, key)
                .or_else(|| property(globals, key))
                .unwrap_or_else(|| panic!("{name} has no {key}"))
                .to_string()
        };
        assert_eq!(setting("Timeout"), function["timeoutSeconds"].to_string());
        assert_eq!(setting("MemorySize"), function["memoryMb"].to_string());
        assert_eq!(
            own.contains("ReservedConcurrentExecutions: !Ref PublicConcurrency"),
            function["reservedConcurrency"] == true,
            "{name}'s reserved concurrency"
        );
        assert!(
            own.contains(&format!("LogGroup: !Ref {}Logs", logical_id(name))),
            "{name} logs to its own log group"
        );
    }
}

#[test]
fn the_read_function_holds_no_write_action() {
    let read = resource(&template(), "ReadFunction");
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
fn the_table_and_the_pool_outlive_the_stack() {
    let text = template();
    for name in ["Table", "UserPool"] {
        let block = resource(&text, name);
        assert!(block.contains("DeletionPolicy: Retain"), "{name}");
        assert!(block.contains("UpdateReplacePolicy: Retain"), "{name}");
    }
}
