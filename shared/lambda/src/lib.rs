//! Init of a roster Lambda: JSON logs (with the request id, from the span),
//! settings from the environment (DESIGN §5), the AWS adapters, and the
//! router of the one function it is. Runs once per cold start; everything it
//! builds is reused across invocations.
//!
//! [`run`] serves API Gateway's HTTP events through that router, as
//! `lambda_http::run` does, and, on the write function, operator commands
//! (`roster_api::operator`) sent by a direct invoke.

use lambda_http::lambda_runtime::{self, service_fn, LambdaEvent};
use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Service};
use roster_api::Function;
use serde_json::value::RawValue;
use serde_json::Value;

/// Runs the Lambda `function` until the runtime stops it.
pub async fn run(function: Function) -> Result<(), lambda_http::Error> {
    let roster = init(function).await?;
    let router = roster_api::router_for(function, roster.clone());
    let http: Adapter<'static, _, _> = Adapter::from(router);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Box<RawValue>>| {
        let mut http = http.clone();
        let roster = roster.clone();
        async move {
            let LambdaEvent { payload, context } = event;
            let payload = payload.get();
            if function == Function::Write && roster_api::operator::is_command(payload) {
                return Ok::<Value, lambda_http::Error>(
                    roster_api::operator::run(&roster, payload).await,
                );
            }
            let request: LambdaRequest = serde_json::from_str(payload)?;
            let response = http.call(LambdaEvent::new(request, context)).await?;
            Ok(serde_json::to_value(response)?)
        }
    }))
    .await
}

async fn init(function: Function) -> Result<roster_core::Roster, String> {
    tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .without_time()
        .init();
    let sdk = roster_aws::sdk_config().await;
    let key = signing_key(&sdk).await?;
    let aws = roster_aws::AwsSettings::from_env(key)?;
    let settings = roster_aws::settings_from_env()?;
    let roster = roster_aws::open(&sdk, &aws, settings)?;
    tracing::debug!(function = function.name(), "ready");
    Ok(roster)
}

/// `ROSTER_SIGNING_KEY` when set (local invokes); else the SSM SecureString
/// named by `ROSTER_SIGNING_KEY_PARAMETER`, read once per cold start.
async fn signing_key(sdk: &roster_aws::SdkConfig) -> Result<Option<String>, String> {
    if std::env::var("ROSTER_SIGNING_KEY").is_ok_and(|k| !k.is_empty()) {
        return Ok(None);
    }
    let Ok(name) = std::env::var("ROSTER_SIGNING_KEY_PARAMETER") else {
        return Err("set ROSTER_SIGNING_KEY or ROSTER_SIGNING_KEY_PARAMETER".into());
    };
    let out = aws_sdk_ssm::Client::new(sdk)
        .get_parameter()
        .name(&name)
        .with_decryption(true)
        .send()
        .await
        .map_err(|e| format!("reading {name} from SSM: {e:?}"))?;
    out.parameter
        .and_then(|p| p.value)
        .map(Some)
        .ok_or_else(|| format!("SSM parameter {name} has no value"))
}
