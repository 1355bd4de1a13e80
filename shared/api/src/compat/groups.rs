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
use serde::Deserialize;
use serde_json::{json, Value};

use super::offset::{contains, Collection, Listing, Params, MAX_DETAILS_PAGE_SIZE, MAX_PAGE_SIZE};
use super::shapes;
use super::{CompatError, CompatReply};
use crate::Call;

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
    let mut page = listing.collect(groups.iter().map(shapes::group_object).collect())?;
    if details && !page.data.is_empty() {
        add_members(roster, caller, &mut page).await?;
    }
    CompatReply::json(&page)
}

/// Each group's users inline (and the empty projects and drives), from one
/// read of the account's users; a page whose groups hold more members in
/// all than one list serves is refused rather than cut short.
async fn add_members(
    roster: &Roster,
    caller: &roster_core::users::Caller,
    page: &mut Collection,
) -> Result<(), CompatError> {
    let users = roster.all_users(caller).await?;
    let mut members: HashMap<String, Vec<&User>> = HashMap::new();
    for user in &users {
        for gid in &user.groups {
            members.entry(gid.clone()).or_default().push(user);
        }
    }
    let stored = |row: &Value| {
        let id = row.get("id").and_then(Value::as_str).unwrap_or_default();
        GroupId::parse(id)
            .map(|g| g.to_string())
            .unwrap_or_default()
    };
    let inline: usize = page
        .data
        .iter()
        .map(|row| members.get(&stored(row)).map_or(0, Vec::len))
        .sum();
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
    for row in &mut page.data {
        let list: Vec<_> = members
            .get(&stored(row))
            .map(|us| us.iter().map(|u| shapes::user_object(u)).collect())
            .unwrap_or_default();
        if let Some(row) = row.as_object_mut() {
            row.extend([
                ("users".to_string(), json!(list)),
                ("projects".to_string(), json!([])),
                ("sharedCloudDrives".to_string(), json!([])),
            ]);
        }
    }
    Ok(())
}

pub async fn get_all(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    list(roster, call, false).await
}

pub async fn get_all_with_details(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    list(roster, call, true).await
}

#[derive(Deserialize)]
struct GroupBody {
    id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    active: Option<bool>,
}

pub async fn insert(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: GroupBody = call.body()?;
    let new = NewGroup::parse(
        b.name.as_deref().unwrap_or(""),
        b.description.as_deref(),
        b.active,
    )?;
    let group = roster.create_group(call.caller()?, new).await?;
    CompatReply::json(&shapes::group_object(&group))
}

pub async fn update(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: GroupBody = call.body()?;
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
