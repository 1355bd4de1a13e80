//! What a deployment needs from roster, taken from the tables that route
//! requests: every API Gateway route on the function that serves it, and each
//! function's binary, timeout and IAM actions.
//!
//! `roster-server --print-routes` prints it as JSON; `infra/routes.json` is
//! that output, committed. The CDK construct (`infra/cdk`) builds its routes
//! and policies from the file, and `tests/tests/infra.rs` holds the SAM
//! template to it, so a new operation reaches both deploy paths, the events
//! and the OpenAPI document from its one table row. The AWS round-trip test
//! checks the actions against the calls each operation makes: every call is
//! granted.

use serde_json::{json, Value};

use crate::{compat, openapi, pages, scim, Function, OPERATIONS};

/// Every function, in deployment order.
pub const FUNCTIONS: [Function; 4] = [
    Function::Public,
    Function::Read,
    Function::Write,
    Function::Scim,
];

/// Memory of every function, in MB. A function peaks at ~13 MB (README,
/// Lambda cold start); Lambda's CPU share grows with memory, and 256 MB
/// keeps a cold start's TLS and JSON work off the slowest share.
pub const MEMORY_MB: u32 = 256;

/// What a grant's actions act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// The table and its `gs1` index.
    Table,
    /// The SSM parameter holding the session signing key (read at cold start).
    SigningKey,
    /// The Cognito user pool.
    UserPool,
    /// Sending mail through SES (any identity: the sender is a setting).
    Mail,
}

impl Resource {
    /// Its key in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Resource::Table => "table",
            Resource::SigningKey => "signingKey",
            Resource::UserPool => "userPool",
            Resource::Mail => "mail",
        }
    }
}

/// IAM actions on one resource.
#[derive(Debug, Clone, Copy)]
pub struct Grant {
    pub resource: Resource,
    pub actions: &'static [&'static str],
}

/// Reads of the table. `BatchGetItem` loads a page's users and groups.
const TABLE_READ: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
];

/// Reads and writes of the table. Every write is a `TransactWriteItems`,
/// which IAM authorises as the writes it holds.
const TABLE_WRITE: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
];

const SIGNING_KEY: Grant = Grant {
    resource: Resource::SigningKey,
    actions: &["ssm:GetParameter"],
};

const MAIL: Grant = Grant {
    resource: Resource::Mail,
    actions: &["ses:SendEmail"],
};

impl Function {
    /// The Lambda's binary (its cargo-lambda artifact is
    /// `target/lambda/<binary>/bootstrap.zip`).
    pub fn binary(self) -> &'static str {
        match self {
            Function::Public => "roster-public",
            Function::Read => "roster-read",
            Function::Write => "roster-write",
            Function::Scim => "roster-scim",
        }
    }

    /// Seconds a call may run. `group/import` writes up to 200 rows and a
    /// SCIM group push assigns in batches; the HTTP API waits at most 30 s.
    pub fn timeout_seconds(self) -> u32 {
        match self {
            Function::Public | Function::Read => 10,
            Function::Write | Function::Scim => 29,
        }
    }

    /// Whether the function has reserved concurrency: the public one, which
    /// anyone on the internet can call, so a flood of logins cannot take
    /// every instance the account may run.
    pub fn reserved_concurrency(self) -> bool {
        self == Function::Public
    }

    /// The IAM actions its operations call, and nothing else.
    pub fn grants(self) -> &'static [Grant] {
        match self {
            // login, refresh and signup write sessions, attempt counts and
            // new users; signup and the invite form of login create the
            // login, a reset link sets its password, MFA logins answer the
            // pool's challenge; registration and reset links go by mail.
            Function::Public => &[
                Grant {
                    resource: Resource::Table,
                    actions: TABLE_WRITE,
                },
                SIGNING_KEY,
                Grant {
                    resource: Resource::UserPool,
                    actions: &[
                        "cognito-idp:AdminInitiateAuth",
                        "cognito-idp:AdminRespondToAuthChallenge",
                        "cognito-idp:AdminCreateUser",
                        "cognito-idp:AdminSetUserPassword",
                    ],
                },
                MAIL,
            ],
            // Reads only: no write action of any service.
            Function::Read => &[
                Grant {
                    resource: Resource::Table,
                    actions: TABLE_READ,
                },
                SIGNING_KEY,
            ],
            // The writes, the invite mail and login administration, MFA
            // included (AssociateSoftwareToken and VerifySoftwareToken act
            // with the user's own access token, not IAM).
            Function::Write => &[
                Grant {
                    resource: Resource::Table,
                    actions: TABLE_WRITE,
                },
                SIGNING_KEY,
                Grant {
                    resource: Resource::UserPool,
                    actions: &[
                        "cognito-idp:AdminInitiateAuth",
                        "cognito-idp:AdminSetUserPassword",
                        "cognito-idp:AdminSetUserMFAPreference",
                        "cognito-idp:AdminDisableUser",
                        "cognito-idp:AdminEnableUser",
                        "cognito-idp:AdminDeleteUser",
                    ],
                },
                MAIL,
            ],
            // SCIM only: the table, a provisioned user's invite, and
            // disabling, enabling and deleting the logins of the users it
            // manages. It never sets a password or signs anyone in.
            Function::Scim => &[
                Grant {
                    resource: Resource::Table,
                    actions: TABLE_WRITE,
                },
                SIGNING_KEY,
                Grant {
                    resource: Resource::UserPool,
                    actions: &[
                        "cognito-idp:AdminDisableUser",
                        "cognito-idp:AdminEnableUser",
                        "cognito-idp:AdminDeleteUser",
                    ],
                },
                MAIL,
            ],
        }
    }

    /// Every IAM action it holds.
    pub fn actions(self) -> impl Iterator<Item = &'static str> {
        self.grants().iter().flat_map(|g| g.actions.iter().copied())
    }
}

/// One API Gateway route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// A name unique among routes, usable as a CloudFormation logical id
    /// (the SAM template's event name), e.g. `UserLogin`.
    pub name: String,
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, or `ANY`.
    pub method: &'static str,
    /// The route's path, in API Gateway's syntax (`{id}`, `{proxy+}`).
    pub path: String,
    pub function: Function,
}

/// Every route: one per operation, compatibility route, page (and the
/// pages' assets and the document) and SCIM route, plus `GET /scim/v2` and
/// `ANY /scim/v2/{proxy+}`, which send the rest of `/scim/v2` to the SCIM
/// function for its SCIM 404s and 405s.
pub fn routes() -> Vec<Route> {
    let mut out = Vec::new();
    for op in OPERATIONS {
        out.push(Route {
            name: camel(op.path.split('/')),
            method: "POST",
            path: format!("/{}", op.path),
            function: op.function,
        });
    }
    for r in compat::ROUTES {
        let method = r.method.as_str();
        out.push(Route {
            name: format!(
                "Compat{}{}",
                camel([method.to_ascii_lowercase().as_str()]),
                camel(r.path.split(['/', '_']))
            ),
            method,
            path: r.path.to_string(),
            function: r.function,
        });
    }
    for page in pages::PAGES {
        let name = match page.path.trim_start_matches('/') {
            "" => "index",
            name => name,
        };
        out.push(Route {
            name: format!("Page{}", camel([name])),
            method: "GET",
            path: page.path.to_string(),
            function: page.function,
        });
    }
    for (name, path) in [
        ("PageAssets", pages::ASSETS_ROUTE),
        ("OpenApi", openapi::ROUTE),
    ] {
        out.push(Route {
            name: name.to_string(),
            method: "GET",
            path: path.to_string(),
            function: Function::Public,
        });
    }
    for r in scim::ROUTES {
        let method = r.method.as_str();
        let rest = r
            .path
            .trim_start_matches(scim::BASE)
            .split('/')
            .map(|s| match s {
                "{id}" => "id",
                ".search" => "search",
                s => s,
            });
        out.push(Route {
            name: format!(
                "Scim{}{}",
                camel([method.to_ascii_lowercase().as_str()]),
                camel(rest)
            ),
            method,
            path: r.path.to_string(),
            function: scim::FUNCTION,
        });
    }
    for (name, method, path) in [
        ("ScimBase", "GET", scim::BASE),
        ("ScimAnyOther", "ANY", scim::GATEWAY_CATCH_ALL),
    ] {
        out.push(Route {
            name: name.to_string(),
            method,
            path: path.to_string(),
            function: scim::FUNCTION,
        });
    }
    out
}

/// `["user", "signupInfo"]` → `UserSignupInfo`.
fn camel<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The manifest: the plans' names (what a registration plan may name) and
/// each function with its settings, grants and routes.
pub fn manifest() -> Value {
    let routes = routes();
    let functions: Vec<Value> = FUNCTIONS
        .iter()
        .map(|&f| {
            let grants: serde_json::Map<String, Value> = f
                .grants()
                .iter()
                .map(|g| (g.resource.name().to_string(), json!(g.actions)))
                .collect();
            let routes: Vec<Value> = routes
                .iter()
                .filter(|r| r.function == f)
                .map(|r| json!({"name": r.name, "method": r.method, "path": r.path}))
                .collect();
            json!({
                "name": f.name(),
                "binary": f.binary(),
                "timeoutSeconds": f.timeout_seconds(),
                "memoryMb": MEMORY_MB,
                "reservedConcurrency": f.reserved_concurrency(),
                "grants": grants,
                "routes": routes,
            })
        })
        .collect();
    json!({
        "about": "What roster deploys: each function's binary, settings, IAM actions and \
                  API Gateway routes. Printed by `roster-server --print-routes` from the \
                  operation tables; do not edit (a test compares).",
        "plans": roster_core::plans::NAMED,
        "planSchema": plan_schema(),
        "functions": functions,
    })
}

/// The JSON Schema (2020-12, self-contained) of what a registration plan
/// may be: a plan's name, or a custom plan within roster's limits — the
/// request schema of `account/update {plan}`. Deploy tools check a plan
/// against it before a function's cold start would refuse it.
fn plan_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .for_deserialize()
        .into_generator();
    generator
        .into_root_schema_for::<crate::ops::PlanSchema>()
        .to_value()
}

/// The manifest as `--print-routes` prints it (and `infra/routes.json` holds).
pub fn json() -> String {
    serde_json::to_string_pretty(&manifest()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn route_names_and_routes_are_unique() {
        let routes = routes();
        let names: BTreeSet<_> = routes.iter().map(|r| &r.name).collect();
        assert_eq!(names.len(), routes.len());
        let keys: BTreeSet<_> = routes.iter().map(|r| (r.method, &r.path)).collect();
        assert_eq!(keys.len(), routes.len());
        for r in &routes {
            assert!(
                r.name.chars().all(|c| c.is_ascii_alphanumeric()),
                "{} is no logical id",
                r.name
            );
        }
    }

    #[test]
    fn names_read_as_the_route() {
        let named = |name: &str| {
            routes()
                .into_iter()
                .find(|r| r.name == name)
                .map(|r| (r.method, r.path, r.function))
        };
        for (name, method, path, function) in [
            (
                "UserSignupInfo",
                "POST",
                "/user/signupInfo",
                Function::Public,
            ),
            (
                "CompatGetApiV1UserSignupinfo",
                "GET",
                "/api/v1/user/signupinfo",
                Function::Public,
            ),
            ("PageIndex", "GET", "/", Function::Public),
            (
                "ScimGetResourceTypesId",
                "GET",
                "/scim/v2/ResourceTypes/{id}",
                Function::Scim,
            ),
            ("ScimPostSearch", "POST", "/scim/v2/.search", Function::Scim),
        ] {
            assert_eq!(named(name), Some((method, path.into(), function)), "{name}");
        }
    }

    #[test]
    fn the_read_function_holds_no_write_action() {
        let read: Vec<_> = Function::Read.actions().collect();
        assert!(read.contains(&"dynamodb:Query"));
        for action in read {
            assert!(
                [
                    "dynamodb:GetItem",
                    "dynamodb:BatchGetItem",
                    "dynamodb:Query",
                    "ssm:GetParameter"
                ]
                .contains(&action),
                "the read function may {action}"
            );
        }
    }

    #[test]
    fn scim_never_sets_a_password_or_signs_anyone_in() {
        let scim: Vec<_> = Function::Scim.actions().collect();
        for action in [
            "cognito-idp:AdminSetUserPassword",
            "cognito-idp:AdminInitiateAuth",
            "cognito-idp:AdminSetUserMFAPreference",
            "cognito-idp:AdminCreateUser",
            "cognito-idp:AdminRespondToAuthChallenge",
        ] {
            assert!(!scim.contains(&action), "the SCIM function may {action}");
        }
    }

    #[test]
    fn the_committed_manifest_is_current() {
        let committed = include_str!("../../../infra/routes.json");
        assert!(
            committed.trim_end() == json(),
            "infra/routes.json is stale: run `cargo run -q -- --print-routes > infra/routes.json`"
        );
    }
}
