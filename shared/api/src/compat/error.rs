//! The replaced APIs' error model: a malformed request is 400, a missing or
//! bad access token 401, and every rule refused is 499 with its code in an
//! `error-code` header and in `{errorCode, message, errors?: {field: [..]}}`.
//! Server faults stay 500 / 503 and say nothing more than the native API.
//! Mapped from the native error (itself from `core::Error`), so the two APIs
//! refuse exactly the same things.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::error::Code;
use crate::ApiError;

/// The status of a refused rule.
const REFUSED: u16 = 499;

#[derive(Debug)]
pub struct CompatError {
    pub status: StatusCode,
    /// `TOKEN`, `INVALID`, `DUPLICATE`, `NOT_FOUND`, `ACCESS`, `LIMIT`,
    /// `RATE_LIMITED`; or, outside 499, the native code.
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
    /// For `INTERNAL`: what is logged (never shown).
    pub detail: Option<String>,
}

/// The status and code a native code becomes: a refused rule is 499 with
/// one of their codes; the rest keep the native status and code.
pub fn compat_code(code: Code) -> (u16, &'static str) {
    let refused = |name| (REFUSED, name);
    match code {
        Code::Invalid => refused("INVALID"),
        Code::TokenInvalid | Code::TokenExpired => refused("TOKEN"),
        Code::Conflict => refused("DUPLICATE"),
        Code::NotFound => refused("NOT_FOUND"),
        Code::Forbidden => refused("ACCESS"),
        Code::LimitReached => refused("LIMIT"),
        Code::RateLimited => refused("RATE_LIMITED"),
        other => (other.status().as_u16(), other.as_str()),
    }
}

impl From<ApiError> for CompatError {
    fn from(e: ApiError) -> Self {
        let (status, code) = compat_code(e.code);
        let status = StatusCode::from_u16(status).unwrap_or(e.status);
        CompatError {
            status,
            code,
            message: e.message,
            field: e.field,
            detail: e.detail,
        }
    }
}

impl From<roster_core::Error> for CompatError {
    fn from(e: roster_core::Error) -> Self {
        CompatError::from(ApiError::from(e))
    }
}

/// The replaced APIs' error body.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatError")]
pub struct CompatErrorBody<'a> {
    /// 499's codes (`TOKEN`, `INVALID`, `DUPLICATE`, `NOT_FOUND`, `ACCESS`,
    /// `LIMIT`, `RATE_LIMITED`), or the native code on other statuses.
    #[schemars(with = "CompatCode")]
    pub error_code: &'a str,
    pub message: &'a str,
    /// The input at fault, when one is, with the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<&'a str, [&'a str; 1]>>,
}

/// Every code a compatibility route answers.
struct CompatCode;

impl JsonSchema for CompatCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CompatErrorCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut codes: Vec<&str> = Code::ALL.iter().map(|c| compat_code(*c).1).collect();
        codes.sort_unstable();
        codes.dedup();
        schemars::json_schema!({"type": "string", "enum": codes})
    }
}

impl CompatError {
    /// `{errorCode, message, errors?}`.
    pub fn body(&self) -> CompatErrorBody<'_> {
        CompatErrorBody {
            error_code: self.code,
            message: &self.message,
            errors: self
                .field
                .map(|f| BTreeMap::from([(f, [self.message.as_str()])])),
        }
    }
}

/// As its body (a failed entry of `import_users`).
impl Serialize for CompatError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.body().serialize(s)
    }
}

impl IntoResponse for CompatError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        response
            .headers_mut()
            .insert("error-code", HeaderValue::from_static(self.code));
        response
    }
}
