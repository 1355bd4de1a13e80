//! `user/changePassword`.

use roster_core::Roster;
use serde::Deserialize;

use crate::views::Reply;
use crate::{ApiError, Call};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ChangeBody {
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
