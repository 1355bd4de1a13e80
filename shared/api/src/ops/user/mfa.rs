//! `user/mfaSecret`, `user/setMfa`, `user/regenerateRecoveryCodes`, `user/resetMfa`.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use roster_core::domain::UserId;
use roster_core::users::UserRef;
use roster_core::{Error, Roster};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::views::{self, Reply};
use crate::{ApiError, Call};

use super::read::Empty;

/// A new TOTP secret: for an authenticator app, as text, as an
/// `otpauth://` URI and as that URI's QR code (an SVG document).
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "MfaSecret")]
pub(crate) struct SecretView<'a> {
    /// Base32.
    secret: &'a str,
    #[schemars(with = "crate::schema::Link")]
    otpauth_uri: &'a str,
    qr_svg: String,
}

pub async fn mfa_secret(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let Empty {} = call.body()?;
    let secret = roster.mfa_secret(call.caller()?).await?;
    Reply::json(&SecretView {
        secret: &secret.secret,
        otpauth_uri: &secret.otpauth_uri,
        qr_svg: qr_svg(&secret.otpauth_uri)?,
    })
}

/// The URI as an SVG QR code (medium error correction, a quiet zone, at least
/// 200 px): what an authenticator app scans.
pub fn qr_svg(uri: &str) -> Result<String, ApiError> {
    let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::M)
        .map_err(|e| Error::internal("rendering the QR code", e))?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SetMfaBody {
    enabled: bool,
    /// On: a code of the new secret. Off: a current code, or a recovery code.
    #[schemars(with = "crate::schema::Code")]
    code: String,
}

/// Recovery codes, shown this once: each logs in once in place of a TOTP code.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "RecoveryCodes")]
pub(crate) struct RecoveryView {
    recovery_codes: Vec<String>,
}

/// What `user/setMfa` answers: the recovery codes when MFA goes on, `{}`
/// when it goes off.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "SetMfaResult")]
pub(crate) enum SetMfaAnswer {
    On(RecoveryView),
    Off(views::Nothing),
}

pub async fn set_mfa(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: SetMfaBody = call.body()?;
    match roster.set_mfa(call.caller()?, b.enabled, &b.code).await? {
        Some(recovery_codes) => Reply::json(&SetMfaAnswer::On(RecoveryView { recovery_codes })),
        None => Reply::json(&SetMfaAnswer::Off(views::Nothing {})),
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodeBody {
    /// A current TOTP code (not a recovery code).
    #[schemars(with = "crate::schema::Code")]
    code: String,
}

pub async fn regenerate_recovery_codes(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: CodeBody = call.body()?;
    let recovery_codes = roster
        .regenerate_recovery_codes(call.caller()?, &b.code)
        .await?;
    Reply::json(&RecoveryView { recovery_codes })
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResetMfaBody {
    #[schemars(with = "crate::schema::Id")]
    id: String,
}

pub async fn reset_mfa(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: ResetMfaBody = call.body()?;
    let target = UserRef::Id(UserId::parse(&b.id)?);
    let user = roster.reset_mfa(call.caller()?, target).await?;
    Reply::json(&views::user(&user))
}
