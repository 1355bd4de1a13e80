//! `group/import`: rows of people and their groups, a result per row.
//!
//! A row that is not the shape of a row fails alone (`BAD_REQUEST`), as a
//! single call with that body would; so does a row whose values break a
//! rule (`INVALID`, `FORBIDDEN`, `LIMIT_REACHED`, …). The other rows apply.

use roster_core::domain::{Email, GroupName, Name, Role};
use roster_core::groups::{ImportRow, RowOutcome, RowStatus};
use roster_core::Roster;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::views::Reply;
use crate::{ApiError, Call};

/// The largest body `group/import` takes: 200 rows with room to spare.
pub const IMPORT_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImportBody {
    /// Parsed one by one, so a malformed row fails alone (its result says why).
    #[schemars(with = "Vec<crate::schema::FailsAlone<RowBody>>", length(max = 200))]
    rows: Vec<Value>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RowBody {
    user: RowUser,
    /// The groups' names (any case); a group that doesn't exist is created.
    #[serde(default)]
    #[schemars(with = "Vec<crate::schema::Title>", length(max = 30))]
    groups: Vec<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RowUser {
    #[schemars(with = "crate::schema::Email")]
    email: String,
    #[schemars(with = "Option<crate::schema::Name>")]
    first: Option<String>,
    #[schemars(with = "Option<crate::schema::Name>")]
    last: Option<String>,
    /// For a new user: not above the admin's own, never `owner`.
    #[schemars(with = "crate::schema::Role")]
    role: String,
}

/// A result per row, in the rows' order.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ImportResults")]
pub(crate) struct ImportView {
    results: Vec<RowView>,
}

/// What became of one row.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "ImportResult")]
pub(crate) struct RowView {
    /// The row's index, from 0.
    row: usize,
    /// The row's e-mail, as roster stores it when it is one.
    email: String,
    /// `invited` (a new pending user), `existing` (a user already) or `failed`.
    #[schemars(schema_with = "row_status")]
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::schema::Id>")]
    user_id: Option<String>,
    /// Why the row failed: the error model's `{code, message, field?}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::error::ErrorDetail<'static>>")]
    error: Option<ApiError>,
}

fn row_status(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "enum": ["invited", "existing", "failed"]})
}

pub async fn import(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
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
        error: outcome.error,
    }
}
