//! Init of a roster Lambda: JSON logs (with the request id, from the span),
//! settings from the environment (DESIGN §5), the AWS adapters, and the
//! router of the one function it is. Runs once per cold start; everything it
//! builds is reused across invocations.

use roster_api::Function;

pub async fn router(function: Function) -> Result<axum::Router, String> {
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
    Ok(roster_api::router_for(function, roster))
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
