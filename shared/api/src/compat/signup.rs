//! Following an invite: `signupinfo?token=` (never spends the token: a mail
//! scanner opening the link harms nothing) and `signup`.

use roster_core::domain::Name;
use roster_core::Roster;
use schemars::JsonSchema;
use serde::Deserialize;

use super::shapes;
use super::{CompatError, CompatReply};
use crate::Call;

/// The signup token named by `?token=`.
fn token(call: &Call) -> Result<String, CompatError> {
    call.query
        .iter()
        .find(|(name, _)| name == "token")
        .map(|(_, v)| v.clone())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| roster_core::Error::invalid("token", "token is required").into())
}

pub async fn signup_info(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let info = roster.signup_info(&token(&call)?).await?;
    CompatReply::json(&shapes::pending_object(&info))
}

#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "CompatSignup")]
pub(crate) struct SignupBody {
    #[schemars(with = "Option<crate::schema::Name>")]
    firstname: Option<String>,
    #[schemars(with = "Option<crate::schema::Name>")]
    lastname: Option<String>,
    #[schemars(with = "crate::schema::NewPassword")]
    password: String,
    /// The link's `token`.
    #[schemars(with = "crate::schema::Secret")]
    token: String,
}

/// `signupinfo`'s query.
#[derive(JsonSchema)]
#[allow(dead_code)] // read by name, described by this type
pub(crate) struct TokenQuery {
    /// The link's `token`.
    #[schemars(with = "crate::schema::Secret")]
    token: String,
}

/// Finalises the pending user and answers it, active.
pub async fn signup(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: SignupBody = call.body()?;
    let first = b
        .firstname
        .as_deref()
        .map(|s| Name::parse("firstname", s))
        .transpose()?;
    let last = b
        .lastname
        .as_deref()
        .map(|s| Name::parse("lastname", s))
        .transpose()?;
    let (user, _) = roster.signup(&b.token, first, last, &b.password).await?;
    CompatReply::json(&shapes::user_object(&user))
}
