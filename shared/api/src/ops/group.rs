//! `group/*`: groups and membership.

mod import;

pub use import::{import, IMPORT_BODY_LIMIT};
pub(crate) use import::{ImportBody, ImportView};

use roster_core::domain::{GroupId, GroupName, UserId};
use roster_core::groups::{GroupChange, NewGroup};
use roster_core::users::UserFilter;
use roster_core::Roster;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::schema;
use crate::views::{self, Reply};
use crate::{ApiError, Call};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateBody {
    #[schemars(with = "schema::Title")]
    name: String,
    #[schemars(with = "Option<schema::Text>")]
    description: Option<String>,
    /// `true` unless given.
    active: Option<bool>,
}

pub async fn create(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: CreateBody = call.body()?;
    let new = NewGroup::parse(&b.name, b.description.as_deref(), b.active)?;
    let group = roster.create_group(call.caller()?, new).await?;
    Reply::json(&views::group(&group))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdBody {
    #[schemars(with = "schema::Id")]
    id: String,
}

pub async fn get(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: IdBody = call.body()?;
    let group = roster
        .get_group(call.caller()?, GroupId::parse(&b.id)?)
        .await?;
    Reply::json(&views::group(&group))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GroupUpdateBody")]
pub(crate) struct UpdateBody {
    #[schemars(with = "schema::Id")]
    id: String,
    #[schemars(with = "Option<schema::Title>")]
    name: Option<String>,
    #[schemars(with = "Option<schema::Text>")]
    description: Option<String>,
    active: Option<bool>,
}

pub async fn update(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: UpdateBody = call.body()?;
    let id = GroupId::parse(&b.id)?;
    let change = GroupChange::parse(b.name.as_deref(), b.description.as_deref(), b.active)?;
    let group = roster.update_group(call.caller()?, id, change).await?;
    Reply::json(&views::group(&group))
}

pub async fn remove(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: IdBody = call.body()?;
    roster
        .remove_group(call.caller()?, GroupId::parse(&b.id)?)
        .await?;
    Reply::empty()
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GroupFindBody")]
pub(crate) struct FindBody {
    /// A prefix of the name, any case.
    #[schemars(length(max = 100))]
    name: Option<String>,
}

pub async fn find(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: FindBody = call.body()?;
    let prefix = match b.name.as_deref() {
        Some(n) if n.chars().count() > GroupName::MAX_LEN => {
            return Err(
                roster_core::Error::invalid("name", "name is longer than 100 characters").into(),
            )
        }
        Some(n) => Some(n.to_string()),
        None => None,
    };
    let page = roster
        .find_groups(call.caller()?, prefix, &call.page()?)
        .await?;
    Reply::json(&views::page(&page, views::group))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Assignment")]
pub(crate) struct Pair {
    #[schemars(with = "schema::Id")]
    user_id: String,
    #[schemars(with = "schema::Id")]
    group_id: String,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssignBody {
    #[schemars(length(max = 100))]
    assignments: Vec<Pair>,
}

/// How many pairs were put in, and how many were in already.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Assigned")]
pub(crate) struct AssignedView {
    assigned: usize,
    skipped: usize,
}

pub async fn assign(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: AssignBody = call.body()?;
    let pairs = b
        .assignments
        .iter()
        .map(|p| {
            Ok((
                UserId::parse_field("userId", &p.user_id)?,
                GroupId::parse_field("groupId", &p.group_id)?,
            ))
        })
        .collect::<Result<Vec<_>, roster_core::Error>>()?;
    let done = roster.assign(call.caller()?, pairs).await?;
    Reply::json(&AssignedView {
        assigned: done.assigned,
        skipped: done.skipped,
    })
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct UnassignBody {
    #[schemars(with = "schema::Id")]
    user_id: String,
    #[schemars(with = "schema::Id")]
    group_id: String,
}

pub async fn unassign(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: UnassignBody = call.body()?;
    let uid = UserId::parse_field("userId", &b.user_id)?;
    let gid = GroupId::parse_field("groupId", &b.group_id)?;
    roster.unassign(call.caller()?, uid, gid).await?;
    Reply::empty()
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct MembersBody {
    #[schemars(with = "schema::Id")]
    group_id: String,
    /// A prefix of the member's e-mail, first or last name, any case.
    #[schemars(length(max = 254))]
    query: Option<String>,
}

pub async fn members(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: MembersBody = call.body()?;
    let gid = GroupId::parse_field("groupId", &b.group_id)?;
    let query = match b.query.as_deref() {
        Some(q) => UserFilter::query_text(q)?,
        None => None,
    };
    let page = roster
        .group_members(call.caller()?, gid, query, &call.page()?)
        .await?;
    Reply::json(&views::page(&page, views::user))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct OfUserBody {
    #[schemars(with = "schema::Id")]
    user_id: String,
}

pub async fn of_user(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: OfUserBody = call.body()?;
    let uid = UserId::parse_field("userId", &b.user_id)?;
    let page = roster
        .groups_of_user(call.caller()?, uid, &call.page()?)
        .await?;
    Reply::json(&views::page(&page, views::group))
}
