//! `user/changePassword`, `user/forgotPassword`, `user/resetPassword`.

use roster_core::Roster;
use serde::Deserialize;

use crate::schema;
use crate::views::Reply;
use crate::{ApiError, Call};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct ChangeBody {
    #[schemars(with = "schema::CurrentPassword")]
    current_password: String,
    #[schemars(with = "schema::NewPassword")]
    password: String,
}

pub async fn change_password(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: ChangeBody = call.body()?;
    roster
        .change_password(call.caller()?, &b.current_password, &b.password)
        .await?;
    Reply::empty()
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ForgotBody {
    /// Any text: the answer is the same for every input.
    email: String,
}

/// Always `{}`, whatever the address (core paces the answer).
pub async fn forgot_password(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: ForgotBody = call.body()?;
    roster.forgot_password(&b.email).await?;
    Reply::empty()
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResetBody {
    /// The link's `token`.
    #[schemars(with = "schema::Secret")]
    token: String,
    #[schemars(with = "schema::NewPassword")]
    password: String,
}

pub async fn reset_password(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: ResetBody = call.body()?;
    roster.reset_password(&b.token, &b.password).await?;
    Reply::empty()
}
