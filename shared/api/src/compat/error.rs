//! The replaced APIs' error model: a malformed request is 400, a missing or
//! bad access token 401, and every rule refused is 499 with its code in an
//! `error-code` header and in `{errorCode, message, errors?: {field: [..]}}`.
//! Server faults stay 500 / 503 and say nothing more than the native API.
//! Mapped from the native error (itself from `core::Error`), so the two APIs
//! refuse exactly the same things.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

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

impl From<ApiError> for CompatError {
    fn from(e: ApiError) -> Self {
        let refused = |code| {
            (
                StatusCode::from_u16(REFUSED).unwrap_or(StatusCode::CONFLICT),
                code,
            )
        };
        let (status, code) = match e.code {
            "INVALID" => refused("INVALID"),
            "TOKEN_INVALID" | "TOKEN_EXPIRED" => refused("TOKEN"),
            "CONFLICT" => refused("DUPLICATE"),
            "NOT_FOUND" => refused("NOT_FOUND"),
            "FORBIDDEN" => refused("ACCESS"),
            "LIMIT_REACHED" => refused("LIMIT"),
            "RATE_LIMITED" => refused("RATE_LIMITED"),
            other => (e.status, other),
        };
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

impl CompatError {
    /// `{errorCode, message, errors?}`.
    pub fn body(&self) -> Value {
        let mut body = json!({"errorCode": self.code, "message": self.message});
        if let Some(field) = self.field {
            let mut errors = serde_json::Map::new();
            errors.insert(field.to_string(), json!([self.message]));
            body["errors"] = Value::Object(errors);
        }
        body
    }
}

impl IntoResponse for CompatError {
    fn into_response(self) -> Response {
        let body = self.body();
        let mut response = (self.status, Json(body)).into_response();
        response
            .headers_mut()
            .insert("error-code", HeaderValue::from_static(self.code));
        response
    }
}
