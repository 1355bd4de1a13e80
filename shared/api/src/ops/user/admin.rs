//! `user/update`, `user/updateRole`, `user/remove`, `user/invite`, `user/resendInvite`.

use roster_core::domain::{Email, Name, Preferences, Role, UserId, UserState};
use roster_core::users::{UpdateUser, UserRef};
use roster_core::Roster;
use serde::Deserialize;
use serde_json::Value;

use super::{one_of_id_or_email, user_ref};
use crate::schema;
use crate::views::{self, Reply};
use crate::{ApiError, Call};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "UserUpdateBody")]
pub(crate) struct UpdateBody {
    /// Whom to change: the caller unless given.
    #[schemars(with = "Option<schema::Id>")]
    id: Option<String>,
    #[schemars(with = "Option<schema::Name>")]
    first: Option<String>,
    #[schemars(with = "Option<schema::Name>")]
    last: Option<String>,
    #[schemars(with = "Option<schema::Preferences>")]
    preferences: Option<Value>,
    /// Only a pending user's (an invite sent to a wrong address).
    #[schemars(with = "Option<schema::Email>")]
    email: Option<String>,
    /// `active` or `disabled` (admins, not on themselves or the owner).
    #[schemars(with = "Option<schema::State>")]
    state: Option<String>,
}

pub async fn update(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: UpdateBody = call.body()?;
    let change = UpdateUser {
        id: b.id.as_deref().map(UserId::parse).transpose()?,
        first: b
            .first
            .as_deref()
            .map(|s| Name::parse("first", s))
            .transpose()?,
        last: b
            .last
            .as_deref()
            .map(|s| Name::parse("last", s))
            .transpose()?,
        preferences: match b.preferences {
            Some(p) => match Preferences::parse(p)?.into_value() {
                Value::Object(map) => Some(map),
                _ => None,
            },
            None => None,
        },
        email: b.email.as_deref().map(Email::parse).transpose()?,
        state: b.state.as_deref().map(UserState::parse).transpose()?,
    };
    let user = roster.update_user(call.caller()?, change).await?;
    Reply::json(&views::user(&user))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct UpdateRoleBody {
    #[schemars(with = "schema::Id")]
    id: String,
    #[schemars(with = "schema::Role")]
    role: String,
    /// For a pending user: mail a new link too.
    #[serde(default)]
    send_invite: bool,
}

pub async fn update_role(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: UpdateRoleBody = call.body()?;
    let id = UserId::parse(&b.id)?;
    let role = Role::parse(&b.role)?;
    let (user, url) = roster
        .update_role(call.caller()?, id, role, b.send_invite)
        .await?;
    match url {
        Some(url) => Reply::json(&views::invited(&user, &url)),
        None => Reply::json(&views::user(&user)),
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = one_of_id_or_email()))]
pub(crate) struct UserRefBody {
    #[schemars(with = "Option<schema::Id>")]
    id: Option<String>,
    #[schemars(with = "Option<schema::Email>")]
    email: Option<String>,
}

pub async fn remove(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: UserRefBody = call.body()?;
    roster
        .remove_user(call.caller()?, user_ref(b.id, b.email)?)
        .await?;
    Reply::empty()
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InviteBody {
    #[schemars(with = "schema::Email")]
    email: String,
    #[schemars(with = "Option<schema::Name>")]
    first: Option<String>,
    #[schemars(with = "Option<schema::Name>")]
    last: Option<String>,
    /// Not above the admin's own; never `owner`.
    #[schemars(with = "schema::Role")]
    role: String,
}

pub async fn invite(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: InviteBody = call.body()?;
    let email = Email::parse(&b.email)?;
    let first = Name::parse("first", b.first.as_deref().unwrap_or(""))?;
    let last = Name::parse("last", b.last.as_deref().unwrap_or(""))?;
    let role = Role::parse(&b.role)?;
    let (user, url) = roster
        .invite(call.caller()?, email, first, last, role)
        .await?;
    Reply::json(&views::invited(&user, &url))
}

pub async fn resend_invite(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: UserRefBody = call.body()?;
    let target: UserRef = user_ref(b.id, b.email)?;
    let (user, url) = roster.resend_invite(call.caller()?, target).await?;
    Reply::json(&views::invited(&user, &url))
}
