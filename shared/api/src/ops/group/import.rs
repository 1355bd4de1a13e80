//! `group/import`: rows of people and their groups, a result per row.
//!
//! A row that is not the shape of a row fails alone (`BAD_REQUEST`), as a
//! single call with that body would; so does a row whose values break a
//! rule (`INVALID`, `FORBIDDEN`, `LIMIT_REACHED`, …). The other rows apply.

use roster_core::domain::{Email, GroupName, Name, Role};
use roster_core::groups::{ImportRow, RowOutcome, RowStatus};
use roster_core::Roster;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::views::Reply;
use crate::{ApiError, Call};

/// The largest body `group/import` takes: 200 rows with room to spare.
pub const IMPORT_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImportBody {
    /// Parsed one by one, so a malformed row fails alone.
    rows: Vec<Value>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RowBody {
    user: RowUser,
    #[serde(default)]
    groups: Vec<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RowUser {
    email: String,
    first: Option<String>,
    last: Option<String>,
    role: String,
}

#[derive(Serialize)]
pub(crate) struct ImportView {
    results: Vec<RowView>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RowView {
    row: usize,
    email: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Value>,
}

pub async fn import(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let b: ImportBody = call.body()?;
    // Before a row is parsed: a body of a million tiny rows costs nothing.
    roster_core::groups::check_import_rows(b.rows.len())?;
    let emails: Vec<String> = b.rows.iter().map(email_as_sent).collect();
    let rows = b.rows.into_iter().map(parse_row).collect();
    let outcomes = roster.import(call.caller()?, rows).await?;
    let results = outcomes
        .into_iter()
        .zip(emails)
        .enumerate()
        .map(|(row, (outcome, email))| view(row, email, outcome))
        .collect();
    Reply::json(&ImportView { results })
}

fn parse_row(value: Value) -> Result<ImportRow, ApiError> {
    let b: RowBody = serde_json::from_value(value)
        .map_err(|e| ApiError::bad_request(format!("the row does not fit group/import: {e}")))?;
    Ok(ImportRow {
        email: Email::parse(&b.user.email)?,
        first: Name::parse("first", b.user.first.as_deref().unwrap_or(""))?,
        last: Name::parse("last", b.user.last.as_deref().unwrap_or(""))?,
        role: Role::parse(&b.user.role)?,
        groups: b
            .groups
            .iter()
            .map(|g| GroupName::parse("groups", g))
            .collect::<Result<_, _>>()?,
    })
}

/// The row's e-mail as the client sent it (lower-cased and trimmed as
/// roster stores it when it is one), so every result names its row.
fn email_as_sent(row: &Value) -> String {
    let raw = row
        .get("user")
        .and_then(|u| u.get("email"))
        .and_then(Value::as_str)
        .unwrap_or("");
    match Email::parse(raw) {
        Ok(email) => email.to_string(),
        Err(_) => raw.chars().take(Email::MAX_LEN).collect(),
    }
}

fn view(row: usize, email: String, outcome: RowOutcome<ApiError>) -> RowView {
    let status = match outcome.status {
        RowStatus::Invited => "invited",
        RowStatus::Existing => "existing",
        RowStatus::Failed => "failed",
    };
    RowView {
        row,
        email,
        status,
        user_id: outcome.user_id.map(|u| u.to_string()),
        error: outcome.error.map(|e| e.body()),
    }
}
