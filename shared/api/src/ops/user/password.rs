//! `user/changePassword`.

use roster_core::Roster;
use serde::Deserialize;
use serde_json::Value;

use crate::{views, ApiError, Call};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ChangeBody {
    current_password: String,
    password: String,
}

pub async fn change_password(roster: &Roster, call: Call) -> Result<Value, ApiError> {
    call.no_query()?;
    let b: ChangeBody = call.body()?;
    roster
        .change_password(call.caller()?, &b.current_password, &b.password)
        .await?;
    Ok(views::empty())
}
