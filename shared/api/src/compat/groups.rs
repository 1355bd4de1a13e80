//! The local API's user groups: `get_all` and `get_all_with_details`
//! (filter `name`, a case-insensitive substring; sorted by `Name` unless
//! asked otherwise), `insert`, `update` (omitted fields keep their values)
//! and `delete?id=` (its memberships go with it).

use roster_core::domain::{Description, GroupId, GroupName};
use roster_core::groups::{GroupChange, NewGroup};
use roster_core::repo::groups::Group;
use roster_core::{Error, Roster};
use serde::Deserialize;
use serde_json::{json, Value};

use super::offset::{Listing, Params};
use super::shapes;
use super::{CompatError, CompatReply};
use crate::Call;

/// `name` filters: a group name's length, at most.
pub(super) fn name_filter(params: &Params) -> Result<Option<String>, CompatError> {
    match params.text("name") {
        Some(n) if n.chars().count() > GroupName::MAX_LEN => Err(Error::invalid(
            "name",
            format!("name is longer than {} characters", GroupName::MAX_LEN),
        )
        .into()),
        n => Ok(n.map(|n| n.trim().to_lowercase())),
    }
}

pub(super) fn matches(name: &str, needle: Option<&str>) -> bool {
    needle.is_none_or(|n| name.to_lowercase().contains(n))
}

async fn list(roster: &Roster, call: Call, details: bool) -> Result<CompatReply, CompatError> {
    let params = Params::of(&call);
    let listing = Listing::read(&params, shapes::GROUP_FIELDS, "name", false)?;
    let needle = name_filter(&params)?;
    let caller = call.caller()?;
    let groups: Vec<Group> = roster
        .all_groups(caller)
        .await?
        .into_iter()
        .filter(|g| matches(&g.name, needle.as_deref()))
        .collect();
    let mut page = listing.collect(groups.iter().map(shapes::group_object).collect())?;
    if details && !page.data.is_empty() {
        // Members of the page's groups from one read of the account's users.
        let users = roster.all_users(caller).await?;
        for row in &mut page.data {
            let id = row.get("id").and_then(Value::as_str).unwrap_or_default();
            let stored = GroupId::parse(id)
                .map(|g| g.to_string())
                .unwrap_or_default();
            let members: Vec<_> = users
                .iter()
                .filter(|u| u.groups.contains(&stored))
                .map(shapes::user_object)
                .collect();
            if let Some(row) = row.as_object_mut() {
                row.extend([
                    ("users".to_string(), json!(members)),
                    ("projects".to_string(), json!([])),
                    ("sharedCloudDrives".to_string(), json!([])),
                ]);
            }
        }
    }
    CompatReply::json(&page)
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
    let new = NewGroup {
        name: GroupName::parse("name", b.name.as_deref().unwrap_or(""))?,
        description: Description::parse(b.description.as_deref().unwrap_or(""))?,
        active: b.active.unwrap_or(true),
    };
    let group = roster.create_group(call.caller()?, new).await?;
    CompatReply::json(&shapes::group_object(&group))
}

pub async fn update(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: GroupBody = call.body()?;
    let id =
        b.id.as_deref()
            .ok_or_else(|| Error::invalid("id", "id is required"))?;
    let id = GroupId::parse_field("id", id)?;
    let change = GroupChange {
        name: b
            .name
            .as_deref()
            .map(|n| GroupName::parse("name", n))
            .transpose()?,
        description: b
            .description
            .as_deref()
            .map(Description::parse)
            .transpose()?,
        active: b.active,
    };
    let group = roster.update_group(call.caller()?, id, change).await?;
    CompatReply::json(&shapes::group_object(&group))
}

/// The `?id=` a route names its object by.
pub(super) fn id_param(call: &Call, name: &'static str) -> Result<String, CompatError> {
    Params::of(call)
        .text(name)
        .map(str::to_string)
        .ok_or_else(|| Error::invalid(name, format!("{name} is required")).into())
}

pub async fn delete(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let id = GroupId::parse_field("id", &id_param(&call, "id")?)?;
    roster.remove_group(call.caller()?, id).await?;
    Ok(CompatReply::Empty)
}
