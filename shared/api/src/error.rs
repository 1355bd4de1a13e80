//! The error model: `{"error": {"code", "message", "field"}}` and its status,
//! mapped from `core::Error` here and nowhere else.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use roster_core::Error;
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
    /// For `INTERNAL`: what is logged (never shown).
    pub detail: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            detail: None,
        }
    }

    /// Not JSON, a wrong type, an unknown field, a form that does not exist.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }

    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "TOO_LARGE",
            format!("the request body is larger than {} KiB", limit / 1024),
        )
    }

    pub fn not_found_route() -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such operation")
    }

    pub fn with_field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let (status, code) = match &e {
            Error::Invalid { .. } => (StatusCode::BAD_REQUEST, "INVALID"),
            Error::TokenInvalid(_) => (StatusCode::BAD_REQUEST, "TOKEN_INVALID"),
            Error::TokenExpired(_) => (StatusCode::BAD_REQUEST, "TOKEN_EXPIRED"),
            Error::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
            Error::Forbidden(_) => (StatusCode::FORBIDDEN, "FORBIDDEN"),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "NOT_FOUND"),
            Error::Conflict { .. } => (StatusCode::CONFLICT, "CONFLICT"),
            Error::LimitReached(_) => (StatusCode::CONFLICT, "LIMIT_REACHED"),
            Error::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED"),
            Error::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "UNAVAILABLE"),
            Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL"),
        };
        let field = match &e {
            Error::Invalid { field, .. } | Error::Conflict { field, .. } => *field,
            _ => None,
        };
        match e {
            Error::Internal(detail) => ApiError {
                status,
                code,
                message: "internal error".into(),
                field: None,
                detail: Some(detail),
            },
            other => ApiError {
                status,
                code,
                message: other.to_string(),
                field,
                detail: None,
            },
        }
    }
}

impl ApiError {
    /// `{code, message, field?}`: the error as a client reads it.
    pub fn body(&self) -> serde_json::Value {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(field) = self.field {
            error["field"] = field.into();
        }
        error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.body();
        (self.status, Json(json!({ "error": error }))).into_response()
    }
}
