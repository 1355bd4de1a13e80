//! SCIM's error model (RFC 7644 §3.12): the HTTP status, and a body
//! `{schemas: [Error], status: "409", scimType?, detail}` in
//! `application/scim+json`. Mapped from `core::Error`, so SCIM refuses what
//! the native API refuses; server faults say no more than there.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use roster_core::Error;
use serde_json::json;

use crate::error::Code;
use crate::ApiError;

pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const SCIM_JSON: &str = "application/scim+json";

#[derive(Debug)]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<&'static str>,
    pub detail: String,
    /// For a fault: what is logged (never shown).
    pub log: Option<String>,
}

impl ScimError {
    pub fn new(
        status: StatusCode,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
            log: None,
        }
    }

    pub fn bad(scim_type: &'static str, detail: impl Into<String>) -> Self {
        ScimError::new(StatusCode::BAD_REQUEST, Some(scim_type), detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        ScimError::new(StatusCode::NOT_FOUND, None, detail)
    }
}

impl From<Error> for ScimError {
    fn from(e: Error) -> Self {
        let message = e.to_string();
        let (status, scim_type) = match &e {
            Error::Invalid { field, .. } => match field {
                Some("userName") if message.contains("cannot be changed") => {
                    (StatusCode::BAD_REQUEST, Some("mutability"))
                }
                _ => (StatusCode::BAD_REQUEST, Some("invalidValue")),
            },
            Error::TokenInvalid(_) | Error::TokenExpired(_) => {
                (StatusCode::BAD_REQUEST, Some("invalidValue"))
            }
            Error::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, None),
            Error::Forbidden(_) => (StatusCode::FORBIDDEN, None),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, None),
            Error::Conflict { field, .. } => match field {
                Some("email" | "name" | "userName" | "displayName") => {
                    (StatusCode::CONFLICT, Some("uniqueness"))
                }
                _ => (StatusCode::CONFLICT, None),
            },
            Error::Stale(_) => (StatusCode::PRECONDITION_FAILED, None),
            Error::LimitReached(_) => (StatusCode::CONFLICT, None),
            Error::RateLimited => (StatusCode::TOO_MANY_REQUESTS, None),
            Error::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, None),
            Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, None),
        };
        match e {
            Error::Internal(detail) => ScimError {
                status,
                scim_type: None,
                detail: "internal error".into(),
                log: Some(detail),
            },
            _ => ScimError {
                status,
                scim_type,
                detail: message,
                log: None,
            },
        }
    }
}

impl From<ApiError> for ScimError {
    /// What the shared plumbing refuses (a body too large or unreadable).
    fn from(e: ApiError) -> Self {
        let scim_type = match e.code {
            Code::BadRequest => Some("invalidSyntax"),
            Code::Invalid => Some("invalidValue"),
            _ => None,
        };
        ScimError {
            status: e.status,
            scim_type,
            detail: e.message,
            log: e.detail,
        }
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = json!(t);
        }
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON))],
            body.to_string(),
        )
            .into_response();
        let headers = response.headers_mut();
        match self.status {
            StatusCode::UNAUTHORIZED => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}
