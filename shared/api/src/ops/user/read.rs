//! `user/find`, `user/get`, `user/info`.

use roster_core::domain::{Email, Role, UserId, UserState};
use roster_core::users::{FindUsers, UserFilter};
use roster_core::Roster;
use serde::Deserialize;
use serde_json::Value;

use super::user_ref;
use crate::{views, ApiError, Call};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FindBody {
    email: Option<String>,
    id: Option<String>,
    role: Option<String>,
    state: Option<String>,
    query: Option<String>,
    #[serde(default)]
    details: bool,
}

pub async fn find(roster: &Roster, call: Call) -> Result<Value, ApiError> {
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
    let page = roster.find_users(call.caller()?, &find).await?;
    let shape = if body.details {
        views::user_with_groups
    } else {
        views::user
    };
    Ok(views::page(page.map(|u| shape(&u))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GetBody {
    id: Option<String>,
    email: Option<String>,
}

pub async fn get(roster: &Roster, call: Call) -> Result<Value, ApiError> {
    call.no_query()?;
    let body: GetBody = call.body()?;
    let target = user_ref(body.id, body.email)?;
    let user = roster.get_user(call.caller()?, target).await?;
    Ok(views::user(&user))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {}

pub async fn info(roster: &Roster, call: Call) -> Result<Value, ApiError> {
    call.no_query()?;
    let Empty {} = call.body()?;
    let caller = call.caller()?;
    let account = roster.get_account(caller).await?;
    let mut v = views::user(&caller.user);
    v["accountName"] = account.name.into();
    v["owner"] = (caller.user.role == Role::Owner).into();
    v["plan"] = account.plan.into();
    Ok(v)
}
