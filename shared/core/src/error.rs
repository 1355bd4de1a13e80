//! `core::Error`: what happened, in domain words. `api` maps it to HTTP once.

use crate::ports::{PortError, TableError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value breaks a rule. `field` names the input at fault.
    #[error("{message}")]
    Invalid {
        field: Option<&'static str>,
        message: String,
    },
    /// An invite, refresh or similar token is unknown, spent or altered.
    #[error("{0}")]
    TokenInvalid(&'static str),
    #[error("{0}")]
    TokenExpired(&'static str),
    /// No valid credentials: missing, altered, expired, or their user is gone.
    #[error("{0}")]
    Unauthenticated(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    /// Also the answer for another account's ids: they look like ids that don't exist.
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{message}")]
    Conflict {
        field: Option<&'static str>,
        message: String,
    },
    /// The caller wrote over a version it named (SCIM `If-Match`) that is no
    /// longer current.
    #[error("{0}")]
    Stale(&'static str),
    /// The plan has no seat left.
    #[error("{0}")]
    LimitReached(String),
    #[error("too many attempts; try again later")]
    RateLimited,
    /// A transient failure: retrying later may succeed.
    #[error("{0}")]
    Unavailable(String),
    /// Logged with the request id; the client sees only `INTERNAL`.
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: Some(field),
            message: message.into(),
        }
    }

    pub fn conflict(field: &'static str, message: impl Into<String>) -> Self {
        Error::Conflict {
            field: Some(field),
            message: message.into(),
        }
    }

    pub fn internal(context: &str, e: impl std::fmt::Display) -> Self {
        Error::Internal(format!("{context}: {e}"))
    }
}

impl From<TableError> for Error {
    /// The fallback for table errors a use case did not map itself: a failed
    /// condition the use case did not expect is a conflict with a concurrent write.
    fn from(e: TableError) -> Self {
        match e {
            TableError::Condition { .. } => Error::Conflict {
                field: None,
                message: "the data changed meanwhile; try again".into(),
            },
            TableError::Conflict => {
                Error::Unavailable("a concurrent change got in the way; try again".into())
            }
            TableError::Unavailable(m) => busy(&m),
            TableError::Invalid(m) | TableError::Internal(m) => Error::Internal(m),
        }
    }
}

impl From<PortError> for Error {
    fn from(e: PortError) -> Self {
        match e {
            PortError::Invalid(m) => Error::Invalid {
                field: Some("password"),
                message: m,
            },
            PortError::Unavailable(m) => busy(&m),
            PortError::Expired(m) => {
                tracing::info!(detail = %m, "a provider's grant expired");
                Error::Forbidden(
                    "the sign-in behind this session has expired; log in again with your password",
                )
            }
            PortError::Internal(m) => Error::Internal(m),
        }
    }
}

/// An adapter's outage: its detail (hosts, paths) is logged, inside the
/// request's span, and never shown.
fn busy(detail: &str) -> Error {
    tracing::warn!(detail, "a backend is unavailable");
    Error::Unavailable("the service is busy; retry later".into())
}
