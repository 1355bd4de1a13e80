//! `user/signupInfo` and `user/signup`: the invitee's side of an invite.

use roster_core::clock::rfc3339;
use roster_core::domain::{Name, Role};
use roster_core::Roster;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::schema;
use crate::views::{self, Reply};
use crate::{ApiError, Call};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InfoBody {
    /// The link's `token`.
    #[schemars(with = "schema::Secret")]
    token: String,
}

pub async fn signup_info(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: InfoBody = call.body()?;
    let info = roster.signup_info(&b.token).await?;
    Reply::json(&InfoView {
        email: info.email.as_str(),
        first: &info.first,
        last: &info.last,
        role: info.role,
        account_name: &info.account_name,
        expires: rfc3339(info.expires),
    })
}

/// Whom a mailed link is for, and until when it works.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "SignupInfo")]
pub(crate) struct InfoView<'a> {
    #[schemars(with = "schema::Email")]
    email: &'a str,
    first: &'a str,
    last: &'a str,
    #[schemars(with = "schema::Role")]
    role: Role,
    account_name: &'a str,
    #[schemars(with = "schema::Time")]
    expires: String,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignupBody {
    /// The link's `token`.
    #[schemars(with = "schema::Secret")]
    token: String,
    #[schemars(with = "Option<schema::Name>")]
    first: Option<String>,
    #[schemars(with = "Option<schema::Name>")]
    last: Option<String>,
    #[schemars(with = "schema::NewPassword")]
    password: String,
}

pub async fn signup(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
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
