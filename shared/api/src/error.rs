//! The error model: `{"error": {"code", "message", "field"}}` and its status,
//! mapped from `core::Error` here and nowhere else. [`Code`] is the one list
//! of codes: the answers, the operation table's per-operation lists and the
//! OpenAPI document all use it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use roster_core::Error;
use schemars::JsonSchema;
use serde::Serialize;

/// An error code of DESIGN §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    BadRequest,
    Invalid,
    TokenInvalid,
    TokenExpired,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    LimitReached,
    TooLarge,
    RateLimited,
    Internal,
    Unavailable,
}

impl Code {
    pub const ALL: [Code; 13] = [
        Code::BadRequest,
        Code::Invalid,
        Code::TokenInvalid,
        Code::TokenExpired,
        Code::Unauthenticated,
        Code::Forbidden,
        Code::NotFound,
        Code::Conflict,
        Code::LimitReached,
        Code::TooLarge,
        Code::RateLimited,
        Code::Internal,
        Code::Unavailable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadRequest => "BAD_REQUEST",
            Code::Invalid => "INVALID",
            Code::TokenInvalid => "TOKEN_INVALID",
            Code::TokenExpired => "TOKEN_EXPIRED",
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::Conflict => "CONFLICT",
            Code::LimitReached => "LIMIT_REACHED",
            Code::TooLarge => "TOO_LARGE",
            Code::RateLimited => "RATE_LIMITED",
            Code::Internal => "INTERNAL",
            Code::Unavailable => "UNAVAILABLE",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Code::BadRequest | Code::Invalid | Code::TokenInvalid | Code::TokenExpired => {
                StatusCode::BAD_REQUEST
            }
            Code::Unauthenticated => StatusCode::UNAUTHORIZED,
            Code::Forbidden => StatusCode::FORBIDDEN,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::Conflict | Code::LimitReached => StatusCode::CONFLICT,
            Code::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// What the code means, in a line (for the OpenAPI document).
    pub fn meaning(self) -> &'static str {
        match self {
            Code::BadRequest => "not JSON, a wrong type, an unknown field or query parameter",
            Code::Invalid => "a value breaks a rule; `field` names it",
            Code::TokenInvalid => "a mailed link is unknown, replaced or already used",
            Code::TokenExpired => "a mailed link has expired",
            Code::Unauthenticated => "no valid access token, or wrong credentials",
            Code::Forbidden => "the caller may not do this",
            Code::NotFound => "no such thing in the caller's account",
            Code::Conflict => "it exists already, or changed meanwhile",
            Code::LimitReached => "the plan has no seat or group left",
            Code::TooLarge => "the request body is too large",
            Code::RateLimited => "too many attempts; try again later",
            Code::Internal => "a fault, logged with the request id (`x-request-id`)",
            Code::Unavailable => "a dependency is unavailable; retry later",
        }
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl schemars::JsonSchema for Code {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "enum": Code::ALL.map(Code::as_str)})
    }
}

/// An error as a client reads it.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ErrorDetail")]
pub struct ErrorDetail<'a> {
    pub code: Code,
    /// For a person; never a secret, and for `INTERNAL` no detail.
    pub message: &'a str,
    /// The input at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
}

/// Every error answer's body: `{"error": {code, message, field?}}`.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Error")]
pub struct ErrorBody<'a> {
    pub error: ErrorDetail<'a>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Code,
    pub message: String,
    pub field: Option<&'static str>,
    /// For `INTERNAL`: what is logged (never shown).
    pub detail: Option<String>,
}

impl ApiError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        ApiError {
            status: code.status(),
            code,
            message: message.into(),
            field: None,
            detail: None,
        }
    }

    /// Not JSON, a wrong type, an unknown field, a form that does not exist.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(Code::BadRequest, message)
    }

    pub fn too_large(limit: usize) -> Self {
        Self::new(
            Code::TooLarge,
            format!("the request body is larger than {} KiB", limit / 1024),
        )
    }

    pub fn not_found_route() -> Self {
        Self::new(Code::NotFound, "no such operation")
    }

    pub fn with_field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let code = match &e {
            Error::Invalid { .. } => Code::Invalid,
            Error::TokenInvalid(_) => Code::TokenInvalid,
            Error::TokenExpired(_) => Code::TokenExpired,
            Error::Unauthenticated(_) => Code::Unauthenticated,
            Error::Forbidden(_) => Code::Forbidden,
            Error::NotFound(_) => Code::NotFound,
            Error::Conflict { .. } | Error::Stale(_) => Code::Conflict,
            Error::LimitReached(_) => Code::LimitReached,
            Error::RateLimited => Code::RateLimited,
            Error::Unavailable(_) => Code::Unavailable,
            Error::Internal(_) => Code::Internal,
        };
        let field = match &e {
            Error::Invalid { field, .. } | Error::Conflict { field, .. } => *field,
            _ => None,
        };
        match e {
            Error::Internal(detail) => ApiError {
                detail: Some(detail),
                ..ApiError::new(code, "internal error")
            },
            other => ApiError {
                field,
                ..ApiError::new(code, other.to_string())
            },
        }
    }
}

impl ApiError {
    /// `{code, message, field?}`: the error as a client reads it.
    pub fn detail(&self) -> ErrorDetail<'_> {
        ErrorDetail {
            code: self.code,
            message: &self.message,
            field: self.field,
        }
    }
}

/// As its [`ErrorDetail`] (a failed row of `group/import`).
impl Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.detail().serialize(s)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.detail(),
        };
        (self.status, Json(body)).into_response()
    }
}
