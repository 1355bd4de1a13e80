//! `account/get`, `account/update`.

use roster_core::domain::AccountName;
use roster_core::Roster;
use serde::Deserialize;

use crate::views::{self, Reply};
use crate::{ApiError, Call};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {}

pub async fn get(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let Empty {} = call.body()?;
    let account = roster.get_account(call.caller()?).await?;
    Reply::json(&views::account(&account))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateBody {
    name: Option<String>,
}

pub async fn update(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let b: UpdateBody = call.body()?;
    let name = b
        .name
        .as_deref()
        .map(|n| AccountName::parse_field("name", n))
        .transpose()?;
    let account = roster.update_account(call.caller()?, name).await?;
    Reply::json(&views::account(&account))
}
