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

/// The exact resources of each manifest grant key, as the template writes
/// them: a statement naming anything else (a wider ARN, a wildcard on the
/// table) fails.
const RESOURCES: [(&str, &[&str]); 4] = [
    ("table", &["!GetAtt Table.Arn", "!Sub \"${Table.Arn}/index/gs1\""]),
    (
        "signingKey",
        &["!Sub \"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${SigningKeyParameter}\""],
    ),
    ("userPool", &["!GetAtt UserPool.Arn"]),
    ("mail", &["\"*\""]),
];

/// Resource kind (the manifest's grant keys) → actions, of one function's
/// policy statements.
fn grants_of(resource: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let policies = resource
        .split("\n      Policies:\n")
        .nth(1)
        .and_then(|p| p.split("\n      Events:").next())
        .unwrap_or_else(|| panic!("no inline policies: {resource}"));
    assert!(
        policies.starts_with("        - Version: \"2012-10-17\"\n          Statement:"),
        "one inline policy document, no managed policy: {policies}"
    );
    for statement in policies.split("- Effect: Allow").skip(1) {
        let actions = statement
            .lines()
            .find_map(|l| l.trim().strip_prefix("Action: ["))
            .unwrap_or_else(|| panic!("a statement without actions: {statement}"));
        // `Resource: X` on one line, or `Resource:` then `- X` lines.
        let mut resources: Vec<String> = Vec::new();
        let mut lines = statement
            .lines()
            .skip_while(|l| !l.trim().starts_with("Resource:"));
        let first = lines.next().unwrap_or_default().trim();
        match first.strip_prefix("Resource:").map(str::trim) {
            Some("") => resources
                .extend(lines.map_while(|l| l.trim().strip_prefix("- ").map(str::to_string))),
            Some(one) => resources.push(one.to_string()),
            None => panic!("a statement without resources: {statement}"),
        }
        let kind = RESOURCES
            .iter()
            .find(|(_, exact)| resources == *exact)
            .map(|(kind, _)| *kind)
            .unwrap_or_else(|| {
                panic!("a statement on other resources than roster's: {resources:?}")
            });
        let actions: Vec<String> = actions
            .trim_end_matches(']')
            .split(',')
            .map(|a| a.trim().to_string())
            .collect();
        assert!(
            actions.iter().all(|a| !a.contains('*')),
            "a wildcard action: {actions:?}"
        );
        out.entry(kind.to_string()).or_default().extend(actions);
    }
    assert_eq!(
        policies.matches("Effect: ").count(),
        policies.matches("- Effect: Allow").count(),
        "every statement allows, unconditionally: {policies}"
    );
    assert!(!policies.contains("Condition:"), "{policies}");
    // SAM's own role for the function: AWSLambdaBasicExecutionRole and these.
    assert!(
        !resource.contains("\n      Role:"),
        "a role of its own: {resource}"
    );
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
            own.contains(
                "ReservedConcurrentExecutions: !If [ReservesPublicConcurrency, !Ref PublicConcurrency, !Ref AWS::NoValue]"
            ),
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
        "BatchWriteItem",
        "TransactWrite",
        "PartiQL",
        "*",
        "ses:",
        "cognito-idp:",
    ] {
        assert!(!read.contains(action), "ReadFunction may {action}");
    }
}

/// `PublicConcurrency` is a string of digits, and 0 reserves nothing: the
/// condition compares the very string the pattern allows ("00" cannot pass
/// for something other than "0"), and a reservation of 0 is never made.
#[test]
fn public_concurrency_zero_reserves_none() {
    let text = template();
    let parameter = resource(&text, "PublicConcurrency");
    assert_eq!(property(&parameter, "Type"), Some("String"));
    assert_eq!(
        property(&parameter, "AllowedPattern"),
        Some("'^(0|[1-9][0-9]{0,5})$'")
    );
    let conditions = text
        .split("\nConditions:\n")
        .nth(1)
        .and_then(|c| c.split("\n\n").next())
        .unwrap_or_default();
    assert_eq!(
        conditions,
        "  ReservesPublicConcurrency: !Not [!Equals [!Ref PublicConcurrency, \"0\"]]"
    );
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

#[test]
fn the_registration_plan_parameter_names_rosters_plans() {
    let text = template();
    let parameter = resource(&text, "RegistrationPlan");
    let pattern = property(&parameter, "AllowedPattern").unwrap_or_default();
    let names = pattern
        .trim_matches('\'')
        .strip_prefix("^(")
        .and_then(|p| p.split_once("|\\s*\\{"))
        .map(|(names, _)| names.split('|').collect::<Vec<_>>())
        .unwrap_or_default();
    assert_eq!(names, roster_core::plans::NAMED, "{pattern}");
    assert_eq!(
        manifest()["plans"],
        serde_json::json!(roster_core::plans::NAMED)
    );
}

/// The manifest's plan schema (what the CDK construct checks a
/// registration plan with) accepts exactly the plans the functions accept.
#[test]
fn the_manifests_plan_schema_is_rosters_plan_rule() {
    use serde_json::json;
    let schema = jsonschema::validator_for(&manifest()["planSchema"]).unwrap();
    let seats = json!({"admin": 1, "user": 1, "viewer": 1});
    let fifty: serde_json::Map<String, Value> =
        (0..50).map(|i| (format!("f{i}"), json!(i))).collect();
    let mut fifty_one = fifty.clone();
    fifty_one.insert("more".into(), json!(true));
    let cases = [
        json!("free"),
        json!("team"),
        json!("business"),
        json!("gold"),
        json!(""),
        json!(3),
        json!(null),
        json!({"seats": seats, "groups": 0}),
        json!({"seats": {"admin": 100_000, "user": 100_000, "viewer": 100_000}, "groups": 1000}),
        json!({"seats": {"admin": 0, "user": 1, "viewer": 1}, "groups": 1}),
        json!({"seats": {"admin": 1, "user": 100_001, "viewer": 1}, "groups": 1}),
        json!({"seats": {"admin": 1, "user": -1, "viewer": 1}, "groups": 1}),
        json!({"seats": {"admin": 1, "user": 1}, "groups": 1}),
        json!({"seats": {"admin": 1, "user": 1, "viewer": 1, "guest": 1}, "groups": 1}),
        json!({"seats": {"admin": 1, "user": 1.5, "viewer": 1}, "groups": 1}),
        json!({"seats": seats, "groups": 1001}),
        json!({"seats": seats}),
        json!({"seats": seats, "groups": 1, "storage": 5}),
        json!({"seats": seats, "groups": 1, "features": fifty}),
        json!({"seats": seats, "groups": 1, "features": fifty_one}),
        json!({"seats": seats, "groups": 1, "features": {"": true}}),
        json!({"seats": seats, "groups": 1, "features": {"x".repeat(64): true}}),
        json!({"seats": seats, "groups": 1, "features": {"x".repeat(65): true}}),
        json!({"seats": seats, "groups": 1, "features": {"tier": "gold"}}),
        json!({"seats": seats, "groups": 1, "features": {"ratio": 0.5}}),
        json!({"seats": seats, "groups": 1, "features": {"n": 9_007_199_254_740_991_i64}}),
        json!({"seats": seats, "groups": 1, "features": {"n": -9_007_199_254_740_991_i64}}),
        json!({"seats": seats, "groups": 1, "features": {"n": 9_007_199_254_740_992_i64}}),
        json!({"seats": seats, "groups": 1, "features": {"n": i64::MIN}}),
    ];
    for plan in cases {
        let functions = roster_core::plans::from_value(plan.clone()).is_ok();
        assert_eq!(schema.is_valid(&plan), functions, "{plan}");
    }
}
