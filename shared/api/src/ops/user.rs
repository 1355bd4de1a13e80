//! Handlers of the `user/*` operations: parse the body into domain types, call
//! core, shape the JSON.

pub mod admin;
pub mod mfa;
pub mod password;
pub mod read;
pub mod session;
pub mod signup;

use roster_core::domain::{Email, UserId};
use roster_core::users::UserRef;
use roster_core::Error;

use crate::ApiError;

/// The schema of [`user_ref`]'s rule: exactly one of `id` and `email`
/// (a `null` one is left out).
pub(crate) fn one_of_id_or_email() -> serde_json::Value {
    serde_json::json!([
        {"required": ["id"], "properties": {"id": {"type": "string"}, "email": {"type": "null"}}},
        {"required": ["email"], "properties": {"email": {"type": "string"}, "id": {"type": "null"}}}
    ])
}

/// `id` or `email`: exactly one.
pub(crate) fn user_ref(id: Option<String>, email: Option<String>) -> Result<UserRef, ApiError> {
    match (id, email) {
        (Some(id), None) => Ok(UserRef::Id(UserId::parse(&id)?)),
        (None, Some(email)) => Ok(UserRef::Email(Email::parse(&email)?)),
        (None, None) => Err(Error::invalid("id", "id or email is required").into()),
        (Some(_), Some(_)) => Err(Error::invalid("id", "give id or email, not both").into()),
    }
}
