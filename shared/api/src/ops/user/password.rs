//! `user/changePassword`, `user/forgotPassword`, `user/resetPassword`.

use roster_core::Roster;
use serde::Deserialize;

use crate::views::Reply;
use crate::{ApiError, Call};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct ChangeBody {
    current_password: String,
    password: String,
}

pub async fn change_password(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let b: ChangeBody = call.body()?;
    roster
        .change_password(call.caller()?, &b.current_password, &b.password)
        .await?;
    Reply::empty()
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ForgotBody {
    email: String,
}

/// Always `{}`, whatever the address (core paces the answer).
pub async fn forgot_password(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let b: ForgotBody = call.body()?;
    roster.forgot_password(&b.email).await?;
    Reply::empty()
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResetBody {
    token: String,
    password: String,
}

pub async fn reset_password(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let b: ResetBody = call.body()?;
    roster.reset_password(&b.token, &b.password).await?;
    Reply::empty()
}
