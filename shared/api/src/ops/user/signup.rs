//! `user/signupInfo` and `user/signup`: the invitee's side of an invite.

use roster_core::clock::rfc3339;
use roster_core::domain::Name;
use roster_core::Roster;
use serde::Deserialize;
use serde_json::json;

use crate::views::{self, Reply};
use crate::{ApiError, Call};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InfoBody {
    token: String,
}

pub async fn signup_info(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let b: InfoBody = call.body()?;
    let info = roster.signup_info(&b.token).await?;
    Reply::json(&json!({
        "email": info.email.as_str(),
        "first": info.first,
        "last": info.last,
        "role": info.role.as_str(),
        "accountName": info.account_name,
        "expires": rfc3339(info.expires),
    }))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignupBody {
    token: String,
    first: Option<String>,
    last: Option<String>,
    password: String,
}

pub async fn signup(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let b: SignupBody = call.body()?;
    let first = b
        .first
        .as_deref()
        .map(|s| Name::parse("first", s))
        .transpose()?;
    let last = b
        .last
        .as_deref()
        .map(|s| Name::parse("last", s))
        .transpose()?;
    let (user, account) = roster.signup(&b.token, first, last, &b.password).await?;
    Reply::json(&views::Membership {
        user: views::user(&user),
        account: views::account(&account),
    })
}
