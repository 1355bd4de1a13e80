//! Operator commands: what a deployment's operators do without an account of
//! their own, by invoking the write function directly (`aws lambda invoke`),
//! which IAM authorises; API Gateway never sends such a payload, and a
//! client's body can't make one (it arrives inside the event's `body`).
//!
//! ```json
//! {"operator": "account/get", "accountId": "01J…"}
//! {"operator": "account/setPlan", "accountId": "01J…", "plan": "business"}
//! {"operator": "account/setPlan", "accountId": "01J…",
//!  "plan": {"seats": {"admin": 3, "user": 10, "viewer": 5}, "groups": 20}}
//! ```
//!
//! The answer is `{"account": {…}}` (as `account/get` shows it) or the
//! error model's `{"error": {code, message, field?}}`. A plan change is the
//! owner's `account/update {plan}`, audited with the actor `operator`.

use roster_core::domain::AccountId;
use roster_core::plans;
use roster_core::Roster;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::{views, ApiError};

/// Just enough of a payload to tell a command from an HTTP event.
#[derive(Deserialize)]
struct Probe {
    operator: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Command {
    operator: String,
    account_id: String,
    plan: Option<Value>,
}

/// Whether `payload` (a Lambda event's JSON) is an operator command.
pub fn is_command(payload: &str) -> bool {
    serde_json::from_str::<Probe>(payload).is_ok_and(|p| p.operator.is_some())
}

/// Runs an operator command; the answer is the invoke's result.
pub async fn run(roster: &Roster, payload: &str) -> Value {
    match command(roster, payload).await {
        Ok(account) => account,
        Err(e) => {
            if let Some(detail) = &e.detail {
                tracing::error!(detail = %detail, "operator command failed");
            }
            json!({ "error": e.detail() })
        }
    }
}

async fn command(roster: &Roster, payload: &str) -> Result<Value, ApiError> {
    let c: Command = serde_json::from_str(payload)
        .map_err(|e| ApiError::bad_request(format!("not an operator command: {e}")))?;
    let aid = AccountId::parse_field("accountId", &c.account_id)?;
    let account = match (c.operator.as_str(), c.plan) {
        ("account/get", None) => roster.operator_get_account(aid).await?,
        ("account/setPlan", Some(plan)) => {
            let plan = plans::from_value(plan)?;
            roster.operator_set_plan(aid, plan).await?
        }
        ("account/setPlan", None) => {
            return Err(roster_core::Error::invalid("plan", "plan is required").into())
        }
        _ => {
            return Err(ApiError::bad_request(
                "operator is account/get or account/setPlan {plan}",
            ))
        }
    };
    let view = serde_json::to_value(views::account(&account))
        .map_err(|e| ApiError::from(roster_core::Error::internal("account view", e)))?;
    Ok(json!({ "account": view }))
}
