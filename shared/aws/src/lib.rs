//! AWS adapters: `Table` on DynamoDB, `Mailer` on SES v2, `Identity` on
//! Cognito user pools, and `--provision`.
//!
//! Clients are built once per process and reused across Lambda invocations;
//! SES and Cognito clients only when first needed. `AWS_ENDPOINT_URL` points
//! them all at an emulator.

mod calls;
pub mod faults;
mod identity;
mod jwks;
mod lazy;
mod mailer;
pub mod provision;
mod retry;
mod table;

use std::sync::Arc;

pub use aws_config::SdkConfig;
pub use calls::CallLog;
pub use identity::CognitoIdentity;
pub use jwks::HttpJwks;
pub use lazy::Lazy;
pub use mailer::SesMailer;
pub use retry::RetryConflicts;
pub use table::{DynamoTable, GS1};

use roster_core::auth::{HostedUi, Keys};
use roster_core::{Roster, Settings};

/// What the AWS backends read (`ROSTER_TABLE`, `ROSTER_USER_POOL_ID`,
/// `ROSTER_CLIENT_ID`, `ROSTER_MAIL_FROM`, `ROSTER_SIGNING_KEY`,
/// `ROSTER_COGNITO_ISSUER`, `ROSTER_JWKS_URL`).
#[derive(Debug, Clone)]
pub struct AwsSettings {
    pub table: String,
    pub user_pool_id: String,
    pub client_id: String,
    pub mail_from: String,
    /// The session signing key: an Ed25519 PKCS#8 key, base64 (standard or URL-safe).
    pub signing_key: String,
    /// The `iss` of the pool's id tokens.
    pub issuer: String,
    /// Where the pool's signing keys are read (see [`hosted_ui_urls`]).
    pub jwks_url: String,
}

/// The pool's issuer and JWKS URL: the ones given, else
/// `https://cognito-idp.<region>.amazonaws.com/<pool>` (the region is the pool
/// id's prefix) and, for the keys, `AWS_ENDPOINT_URL/<pool>/.well-known/jwks.json`
/// when an emulator is in use (moto and LocalStack serve them there; their
/// tokens still name the real issuer), else `<issuer>/.well-known/jwks.json`.
pub fn hosted_ui_urls(
    user_pool_id: &str,
    issuer: Option<String>,
    jwks_url: Option<String>,
) -> (String, String) {
    let issuer = issuer.filter(|s| !s.is_empty()).unwrap_or_else(|| {
        let region = user_pool_id.split('_').next().unwrap_or_default();
        format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}")
    });
    let jwks_url = jwks_url.filter(|s| !s.is_empty()).unwrap_or_else(|| {
        match std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|s| !s.is_empty())
        {
            Some(endpoint) => format!(
                "{}/{user_pool_id}/.well-known/jwks.json",
                endpoint.trim_end_matches('/')
            ),
            None => format!("{}/.well-known/jwks.json", issuer.trim_end_matches('/')),
        }
    });
    (issuer, jwks_url)
}

impl AwsSettings {
    /// From `ROSTER_TABLE`, `ROSTER_USER_POOL_ID`, `ROSTER_CLIENT_ID`,
    /// `ROSTER_MAIL_FROM` and the signing key: `ROSTER_SIGNING_KEY` itself, or
    /// `signing_key` when the caller fetched it (from SSM, in a Lambda).
    pub fn from_env(signing_key: Option<String>) -> Result<AwsSettings, String> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("{name} is not set"))
        };
        let user_pool_id = var("ROSTER_USER_POOL_ID")?;
        let (issuer, jwks_url) = hosted_ui_urls(
            &user_pool_id,
            var("ROSTER_COGNITO_ISSUER").ok(),
            var("ROSTER_JWKS_URL").ok(),
        );
        Ok(AwsSettings {
            table: var("ROSTER_TABLE")?,
            user_pool_id,
            issuer,
            jwks_url,
            client_id: var("ROSTER_CLIENT_ID")?,
            mail_from: var("ROSTER_MAIL_FROM")?,
            signing_key: match signing_key {
                Some(key) => key,
                None => var("ROSTER_SIGNING_KEY")?,
            },
        })
    }
}

/// `Settings` of a Lambda: `ROSTER_PUBLIC_URL`, `ROSTER_OPEN_REGISTRATION`,
/// `ROSTER_REGISTRATION_PLAN`, `ROSTER_MFA_ISSUER`, `ROSTER_AUDIT_DAYS`,
/// `ROSTER_INVITE_TTL`. A bad value stops the cold start with its reason.
pub fn settings_from_env() -> Result<Settings, String> {
    let public_url = std::env::var("ROSTER_PUBLIC_URL")
        .map_err(|_| "ROSTER_PUBLIC_URL is not set".to_string())?;
    let open = std::env::var("ROSTER_OPEN_REGISTRATION").unwrap_or_default();
    let issuer = std::env::var("ROSTER_MFA_ISSUER")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| roster_core::DEFAULT_MFA_ISSUER.to_string());
    let registration_plan = match std::env::var("ROSTER_REGISTRATION_PLAN") {
        Ok(plan) if !plan.is_empty() => {
            roster_core::plans::parse(&plan)
                .map_err(|e| format!("ROSTER_REGISTRATION_PLAN: {e}"))?;
            plan
        }
        _ => roster_core::plans::DEFAULT_PLAN.to_string(),
    };
    let audit_days = match std::env::var("ROSTER_AUDIT_DAYS") {
        Ok(days) if !days.is_empty() => days
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=36_500).contains(d))
            .ok_or_else(|| "ROSTER_AUDIT_DAYS must be 1 to 36500".to_string())?,
        _ => roster_core::DEFAULT_AUDIT_DAYS,
    };
    let invite_ttl_ms = match std::env::var("ROSTER_INVITE_TTL") {
        Ok(ttl) if !ttl.is_empty() => {
            roster_core::clock::parse_duration_ms(&ttl, roster_core::clock::INVITE_TTL_RANGE_MS)
                .map_err(|e| format!("ROSTER_INVITE_TTL: {e}"))?
        }
        _ => roster_core::repo::tokens::INVITE_TTL_MS,
    };
    Ok(Settings {
        public_url: public_url.trim_end_matches('/').to_string(),
        open_registration: matches!(open.as_str(), "1" | "true" | "yes"),
        registration_plan,
        mfa_issuer: issuer,
        audit_days,
        invite_ttl_ms,
    })
}

/// The SDK configuration from the environment (region, credentials,
/// `AWS_ENDPOINT_URL`), loaded once.
///
/// AWS endpoints are trusted through Amazon's own roots (Amazon Root CA 1–4
/// and Starfield Services G2), compiled in: loading the system trust store
/// was most of a cold start (≈ 150 files read here). Only a custom HTTPS
/// `AWS_ENDPOINT_URL` (an emulator with its own CA) gets the system store.
pub async fn sdk_config() -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    let custom_https = std::env::var("AWS_ENDPOINT_URL").is_ok_and(|u| u.starts_with("https://"));
    if !custom_https {
        if let Some(client) = amazon_roots_client() {
            loader = loader.http_client(client);
        }
    }
    loader.load().await
}

/// The SDK's HTTPS client, trusting only Amazon's roots.
fn amazon_roots_client() -> Option<aws_smithy_runtime_api::client::http::SharedHttpClient> {
    use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
    let trust = TrustStore::empty()
        .with_native_roots(false)
        .with_pem_certificate(include_bytes!("amazon-roots.pem").as_slice());
    let context = TlsContext::builder().with_trust_store(trust).build().ok()?;
    Some(
        aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
            .tls_context(context)
            .build_https(),
    )
}

/// A `Roster` on DynamoDB, SES and Cognito.
pub fn open(
    sdk: &aws_config::SdkConfig,
    aws: &AwsSettings,
    settings: Settings,
) -> Result<Roster, String> {
    open_logged(sdk, aws, settings, None)
}

/// [`open`], with every AWS call logged in `calls`.
pub fn open_logged(
    sdk: &aws_config::SdkConfig,
    aws: &AwsSettings,
    settings: Settings,
    calls: Option<CallLog>,
) -> Result<Roster, String> {
    let secret = decode_key(&aws.signing_key)?;
    let keys = Keys::from_secret(&secret).map_err(|e| format!("ROSTER_SIGNING_KEY: {e}"))?;
    let dynamo = {
        let mut conf = aws_sdk_dynamodb::config::Builder::from(sdk);
        if let Some(log) = calls.clone() {
            conf = conf.interceptor(log);
        }
        aws_sdk_dynamodb::Client::from_conf(conf.build())
    };
    let ses_log = calls.clone();
    let ses = Lazy::new(sdk, move |sdk| {
        let mut conf = aws_sdk_sesv2::config::Builder::from(sdk);
        if let Some(log) = ses_log.clone() {
            conf = conf.interceptor(log);
        }
        aws_sdk_sesv2::Client::from_conf(conf.build())
    });
    let cognito = Lazy::new(sdk, move |sdk| {
        let mut conf = aws_sdk_cognitoidentityprovider::config::Builder::from(sdk);
        if let Some(log) = calls.clone() {
            conf = conf.interceptor(log);
        }
        aws_sdk_cognitoidentityprovider::Client::from_conf(conf.build())
    });
    Ok(Roster {
        table: Arc::new(RetryConflicts::new(Arc::new(DynamoTable::new(
            dynamo, &aws.table,
        )))),
        mailer: Arc::new(SesMailer::new(ses, &aws.mail_from)),
        identity: Arc::new(CognitoIdentity::new(
            cognito,
            &aws.user_pool_id,
            &aws.client_id,
        )),
        keys: Arc::new(keys),
        settings: Arc::new(settings),
        hosted_ui: Some(Arc::new(HostedUi::new(
            &aws.issuer,
            &aws.client_id,
            Arc::new(HttpJwks::new(&aws.jwks_url)?),
        ))),
    })
}

fn decode_key(s: &str) -> Result<Vec<u8>, String> {
    use roster_core::crypto::unb64;
    let s = s.trim();
    let url_safe: String = s
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    unb64(&url_safe).ok_or_else(|| "ROSTER_SIGNING_KEY is not base64".to_string())
}

/// A new signing key, base64url: what `ROSTER_SIGNING_KEY` holds.
pub fn new_signing_key() -> Result<String, String> {
    Keys::generate_secret()
        .map(|k| roster_core::crypto::b64(&k))
        .map_err(|e| e.to_string())
}
