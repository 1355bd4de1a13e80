//! The server's configuration: flags, each also an env var (`ROSTER_` + name).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    /// redb in the data folder, mail to the outbox, argon2 passwords.
    Embedded,
    /// DynamoDB, SES and Cognito (needs the cargo feature `aws`).
    Aws,
}

/// roster: user and team management. Serves every operation on one port.
#[derive(Debug, Clone, Parser)]
#[command(name = "roster-server", version)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "ROSTER_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Folder of the embedded store, signing key and outbox.
    #[arg(long, env = "ROSTER_DATA_DIR", default_value = "./roster-data")]
    pub data_dir: PathBuf,

    /// Base of links in e-mails [default: http://<listen>].
    #[arg(long, env = "ROSTER_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// On a store without accounts: the first owner's e-mail.
    #[arg(long, env = "ROSTER_OWNER_EMAIL", requires = "owner_password")]
    pub owner_email: Option<String>,

    /// On a store without accounts: the first owner's password.
    #[arg(
        long,
        env = "ROSTER_OWNER_PASSWORD",
        hide_env_values = true,
        requires = "owner_email"
    )]
    pub owner_password: Option<String>,

    /// On a store without accounts: the first account's name.
    #[arg(long, env = "ROSTER_ACCOUNT_NAME", default_value = "My team")]
    pub account_name: String,

    /// On a store without accounts: the first account's plan: free, team,
    /// business, or a custom plan as JSON, e.g.
    /// {"seats": {"admin": 3, "user": 10, "viewer": 5}, "groups": 20, "features": {}}.
    #[arg(long, env = "ROSTER_PLAN", default_value = "team")]
    pub plan: String,

    /// Days an audit entry is kept before the table's TTL removes it.
    #[arg(long, env = "ROSTER_AUDIT_DAYS", default_value_t = roster_core::DEFAULT_AUDIT_DAYS,
          value_parser = clap::value_parser!(i64).range(1..=36_500))]
    pub audit_days: i64,

    /// How long an invite's link works: a number and a unit, s, m, h or d
    /// (1 s to 30 days).
    #[arg(long, env = "ROSTER_INVITE_TTL", default_value = "7d", value_parser = invite_ttl)]
    pub invite_ttl: i64,

    /// Let anyone create an account with `user/login` `{register: true, …}`.
    #[arg(long, env = "ROSTER_OPEN_REGISTRATION")]
    pub open_registration: bool,

    /// The plan accounts made by open registration start on: a name, or a
    /// custom plan as JSON, as for --plan.
    #[arg(long, env = "ROSTER_REGISTRATION_PLAN", default_value = roster_core::plans::DEFAULT_PLAN,
          value_parser = registration_plan)]
    pub registration_plan: String,

    /// The issuer authenticator apps show for roster's TOTP codes.
    #[arg(long, env = "ROSTER_MFA_ISSUER", default_value = roster_core::DEFAULT_MFA_ISSUER)]
    pub mfa_issuer: String,

    /// Where data, mail and passwords live.
    #[arg(long, env = "ROSTER_BACKEND", value_enum, default_value_t = Backend::Embedded)]
    pub backend: Backend,

    /// aws: create the table, user pool and client, and sender identity when missing.
    #[arg(long, env = "ROSTER_PROVISION")]
    pub provision: bool,

    /// Sender of e-mails.
    #[arg(
        long,
        env = "ROSTER_MAIL_FROM",
        default_value = "roster <noreply@roster.localhost>"
    )]
    pub mail_from: String,

    /// aws: the DynamoDB table.
    #[arg(long, env = "ROSTER_TABLE", default_value = "roster")]
    pub table: String,

    /// aws: the Cognito user pool [with --provision: found or made by name].
    #[arg(long, env = "ROSTER_USER_POOL_ID")]
    pub user_pool_id: Option<String>,

    /// aws: the user pool's app client [with --provision: found or made by name].
    #[arg(long, env = "ROSTER_CLIENT_ID")]
    pub client_id: Option<String>,

    /// aws: the `iss` of the pool's id tokens, for `user/login` with a
    /// hosted-UI token [default: https://cognito-idp.<region>.amazonaws.com/<pool>].
    #[arg(long, env = "ROSTER_COGNITO_ISSUER")]
    pub cognito_issuer: Option<String>,

    /// aws: where the pool's signing keys are read [default:
    /// $AWS_ENDPOINT_URL/<pool>/.well-known/jwks.json with an emulator, else
    /// <issuer>/.well-known/jwks.json].
    #[arg(long, env = "ROSTER_JWKS_URL")]
    pub jwks_url: Option<String>,

    /// aws: the session signing key (Ed25519 PKCS#8, base64) [default: the
    /// data folder's signing.key, made once].
    #[arg(long, env = "ROSTER_SIGNING_KEY", hide_env_values = true)]
    pub signing_key: Option<String>,

    /// Print the OpenAPI document (what `GET /openapi.json` serves) and exit.
    #[arg(long)]
    pub print_openapi: bool,

    /// Print what a deployment needs (every API Gateway route on its
    /// function, each function's binary, timeout and IAM actions) as JSON,
    /// as `infra/routes.json` holds it, and exit.
    #[arg(long)]
    pub print_routes: bool,

    /// Print a new session signing key (for ROSTER_SIGNING_KEY or the SSM
    /// parameter of a deployment) and exit.
    #[arg(long)]
    pub print_signing_key: bool,

    /// Log filter (tracing's EnvFilter syntax).
    #[arg(long, env = "ROSTER_LOG", default_value = "info")]
    pub log: String,
}

/// `--registration-plan`, checked: a plan's name or a custom plan's JSON.
fn registration_plan(text: &str) -> Result<String, String> {
    roster_core::plans::parse(text)
        .map(|_| text.to_string())
        .map_err(|e| e.to_string())
}

/// `--invite-ttl`, in ms.
fn invite_ttl(text: &str) -> Result<i64, String> {
    roster_core::clock::parse_duration_ms(text, roster_core::clock::INVITE_TTL_RANGE_MS)
}

impl Config {
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_string()
    }
}
