//! `user/find`, `user/get`, `user/info`.

use roster_core::domain::{Email, Role, UserId, UserState};
use roster_core::users::{FindUsers, UserFilter};
use roster_core::Roster;
use serde::Deserialize;

use super::one_of_id_or_email;
use super::user_ref;
use crate::schema;
use crate::views::{self, Reply};
use crate::{ApiError, Call};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "UserFindBody")]
pub(crate) struct FindBody {
    /// Exactly this e-mail.
    #[schemars(with = "Option<schema::Email>")]
    email: Option<String>,
    #[schemars(with = "Option<schema::Id>")]
    id: Option<String>,
    #[schemars(with = "Option<schema::Role>")]
    role: Option<String>,
    #[schemars(with = "Option<schema::State>")]
    state: Option<String>,
    /// A prefix of the e-mail, the first or the last name, any case.
    #[schemars(length(max = 254))]
    query: Option<String>,
    /// With each user's groups.
    #[serde(default)]
    details: bool,
}

pub async fn find(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let body: FindBody = call.body()?;
    let filter = UserFilter {
        email: body.email.as_deref().map(Email::parse).transpose()?,
        id: body.id.as_deref().map(UserId::parse).transpose()?,
        role: body.role.as_deref().map(Role::parse).transpose()?,
        state: body.state.as_deref().map(UserState::parse).transpose()?,
        query: match body.query.as_deref() {
            Some(q) => UserFilter::query_text(q)?,
            None => None,
        },
    };
    let find = FindUsers {
        filter,
        page: call.page()?,
    };
    let caller = call.caller()?;
    let page = roster.find_users(caller, &find).await?;
    if body.details {
        let names = roster.group_names(caller).await?;
        Reply::json(&views::page(&page, |u| views::user_with_groups(u, &names)))
    } else {
        Reply::json(&views::page(&page, views::user))
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = one_of_id_or_email()))]
pub(crate) struct GetBody {
    #[schemars(with = "Option<schema::Id>")]
    id: Option<String>,
    #[schemars(with = "Option<schema::Email>")]
    email: Option<String>,
}

pub async fn get(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let body: GetBody = call.body()?;
    let target = user_ref(body.id, body.email)?;
    let user = roster.get_user(call.caller()?, target).await?;
    Reply::json(&views::user(&user))
}

/// `{}`: the operation takes nothing.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Empty {}

pub async fn info(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let Empty {} = call.body()?;
    let caller = call.caller()?;
    let account = roster.get_account(caller).await?;
    Reply::json(&views::InfoView {
        user: views::user(&caller.user),
        account_name: &account.name,
        owner: caller.user.role == Role::Owner,
        plan: &account.plan,
        recovery_codes_left: caller.user.recovery.len(),
    })
}
