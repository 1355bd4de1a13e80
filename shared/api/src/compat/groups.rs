//! The local API's user groups: `get_all` and `get_all_with_details`
//! (filter `name`, a case-insensitive substring; sorted by `Name` unless
//! asked otherwise), `insert`, `update` (omitted fields keep their values)
//! and `delete?id=` (its memberships go with it).

use roster_core::domain::{GroupId, GroupName};
use roster_core::groups::{GroupChange, NewGroup};
use std::collections::HashMap;

use roster_core::listing::MAX_USERS;
use roster_core::repo::groups::Group;
use roster_core::repo::User;
use roster_core::{Error, Roster};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::offset::{contains, Listing, Params, MAX_DETAILS_PAGE_SIZE, MAX_PAGE_SIZE};
use super::shapes::{self, GroupObject, UserObject};
use super::{CompatError, CompatReply};
use crate::Call;

/// The query of both group lists.
#[derive(JsonSchema)]
#[allow(dead_code)] // read by name (`Params`), described by this type
pub(crate) struct ListQuery<Size: JsonSchema = super::offset::CompatPageSize> {
    /// From 1.
    #[schemars(with = "Option<super::offset::CompatPage>")]
    page: Option<i64>,
    /// 1 to 1,000 (with details, 1 to 100); 50 unless given.
    pagesize: Option<Size>,
    /// A field of the UserGroup object, any case (`name` unless given).
    #[schemars(with = "Option<GroupSortField>")]
    sortfield: Option<String>,
    /// `false` unless given.
    #[schemars(with = "Option<super::offset::CompatFlag>")]
    descending: Option<String>,
    /// A part of the name, any case.
    #[schemars(length(max = 100))]
    name: Option<String>,
}

crate::schema::value!(
    /// A field of the UserGroup object, in any case.
    GroupSortField,
    crate::schema::any_case_of(shapes::GROUP_FIELDS)
);

/// A row of `get_all_with_details`: the group, its users, and the empty
/// projects and drives.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatUserGroupDetails")]
pub(crate) struct DetailsRow<'a> {
    #[serde(flatten)]
    group: GroupObject<'a>,
    users: Vec<UserObject<'a>>,
    #[schemars(with = "crate::schema::EmptyList")]
    projects: Vec<Value>,
    #[schemars(with = "crate::schema::EmptyList")]
    shared_cloud_drives: Vec<Value>,
}

/// A UserGroup object, sorted as it serialises, with the group it shows.
#[derive(Serialize)]
struct Sorted<'a> {
    #[serde(flatten)]
    object: GroupObject<'a>,
    #[serde(skip)]
    group: &'a Group,
}

async fn list(roster: &Roster, call: Call, details: bool) -> Result<CompatReply, CompatError> {
    let params = Params::of(&call);
    let max = if details {
        MAX_DETAILS_PAGE_SIZE
    } else {
        MAX_PAGE_SIZE
    };
    let listing = Listing::read_up_to(&params, shapes::GROUP_FIELDS, "name", false, max)?;
    let needle = params.substring("name", GroupName::MAX_LEN)?;
    let caller = call.caller()?;
    let groups: Vec<Group> = roster
        .all_groups(caller)
        .await?
        .into_iter()
        .filter(|g| contains(&g.name, needle.as_deref()))
        .collect();
    let rows = groups.iter().map(|g| Sorted {
        object: shapes::group_object(g),
        group: g,
    });
    let page = listing.collect(rows.collect())?;
    if !details {
        return CompatReply::json(&page.map(|row| row.object));
    }
    let users = match page.data.is_empty() {
        true => Vec::new(),
        false => roster.all_users(caller).await?,
    };
    let mut members: HashMap<String, Vec<&User>> = HashMap::new();
    for user in &users {
        for gid in &user.groups {
            members.entry(gid.clone()).or_default().push(user);
        }
    }
    let of = |g: &Group| {
        members
            .get(&g.id.to_string())
            .map_or(&[][..], Vec::as_slice)
    };
    // A page whose groups hold more members in all than one list serves is
    // refused rather than cut short.
    let inline: usize = page.data.iter().map(|row| of(row.group).len()).sum();
    if inline > MAX_USERS {
        return Err(Error::invalid(
            "pagesize",
            format!(
                "the groups of this page have more than {MAX_USERS} members in all; \
                 ask for a smaller pagesize, or read members with get_assigned_users"
            ),
        )
        .into());
    }
    let page = page.map(|row| DetailsRow {
        users: of(row.group)
            .iter()
            .map(|u| shapes::user_object(u))
            .collect(),
        group: row.object,
        projects: Vec::new(),
        shared_cloud_drives: Vec::new(),
    });
    CompatReply::json(&page)
}

pub async fn get_all(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    list(roster, call, false).await
}

pub async fn get_all_with_details(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    list(roster, call, true).await
}

/// `insert`'s UserGroup: its `name`, and `description` and `active` if
/// given (a whole object may come: its `id` and counts are not read).
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "CompatUserGroupNew")]
pub(crate) struct InsertBody {
    #[schemars(with = "crate::schema::Title", required)]
    name: Option<String>,
    #[schemars(with = "Option<crate::schema::Text>")]
    description: Option<String>,
    active: Option<bool>,
}

pub async fn insert(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: InsertBody = call.body()?;
    let new = NewGroup::parse(
        b.name.as_deref().unwrap_or(""),
        b.description.as_deref(),
        b.active,
    )?;
    let group = roster.create_group(call.caller()?, new).await?;
    CompatReply::json(&shapes::group_object(&group))
}

/// `update`'s UserGroup: named by `id`; what it leaves out keeps its value.
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "CompatUserGroupChange")]
pub(crate) struct UpdateBody {
    #[schemars(with = "crate::schema::Id", required)]
    id: Option<String>,
    #[schemars(with = "Option<crate::schema::Title>")]
    name: Option<String>,
    #[schemars(with = "Option<crate::schema::Text>")]
    description: Option<String>,
    active: Option<bool>,
}

pub async fn update(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: UpdateBody = call.body()?;
    let id =
        b.id.as_deref()
            .ok_or_else(|| Error::invalid("id", "id is required"))?;
    let id = GroupId::parse_field("id", id)?;
    let change = GroupChange::parse(b.name.as_deref(), b.description.as_deref(), b.active)?;
    let group = roster.update_group(call.caller()?, id, change).await?;
    CompatReply::json(&shapes::group_object(&group))
}

pub async fn delete(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let id = GroupId::parse_field("id", Params::of(&call).required("id")?)?;
    roster.remove_group(call.caller()?, id).await?;
    Ok(CompatReply::Empty)
}
