//! `get_all_users` and `get_all_users_with_details` on both APIs: the
//! account's users (and, with `deleted=true`, its removed ones) filtered by
//! `userStatus` and `userType` (flag enums: any combination), `username`
//! (a case-insensitive substring), sorted and paged (`offset`). Any member
//! may list, as with the native `user/find`.

use std::collections::HashMap;

use roster_core::domain::Email;
use roster_core::repo::groups::{Group, Membership};
use roster_core::repo::User;
use roster_core::Roster;
use serde_json::{json, Value};

use super::offset::{contains, Collection, Listing, Params, MAX_DETAILS_PAGE_SIZE, MAX_PAGE_SIZE};
use super::shapes::{self, GroupObject, UserObject};
use super::{CompatError, CompatReply};
use crate::Call;

/// What a row carries besides the User object.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Details {
    None,
    /// `groups: [{user, userGroup, userUserGroup}]`, `projectsData`, `drivesData`.
    Hosted,
    /// `userGroups: [UserGroup]`, `projects`, `sharedCloudDrives`.
    Local,
}

async fn list(roster: &Roster, call: Call, details: Details) -> Result<CompatReply, CompatError> {
    let params = Params::of(&call);
    let max = match details {
        Details::None => MAX_PAGE_SIZE,
        _ => MAX_DETAILS_PAGE_SIZE,
    };
    let listing = Listing::read_up_to(&params, shapes::USER_FIELDS, "createDate", true, max)?;
    let statuses = params.flags(
        "userStatus",
        shapes::ACTIVE | shapes::INACTIVE | shapes::PENDING,
    )?;
    let types = params.flags("userType", shapes::ADMIN | shapes::USER | shapes::VIEWER)?;
    let needle = params.substring("username", Email::MAX_LEN)?;
    let deleted = params.flag("deleted")?.unwrap_or(false);
    let caller = call.caller()?;
    let users = roster.all_users(caller).await?;
    let removed = match deleted {
        true => roster.removed_users(caller).await?,
        false => Vec::new(),
    };
    let wanted = |o: &UserObject| {
        o.status & statuses != 0
            && o.user_type & types != 0
            && contains(o.username, needle.as_deref())
    };
    let rows: Vec<UserObject> = users
        .iter()
        .map(shapes::user_object)
        .chain(removed.iter().map(shapes::removed_object))
        .filter(wanted)
        .collect();
    let mut page = listing.collect(rows)?;
    if details != Details::None {
        add_details(roster, caller, &users, &mut page, details).await?;
    }
    CompatReply::json(&page)
}

/// Adds each row's groups (and the empty projects and drives: roster has
/// none) to a page: one batch read of the page's memberships, one Query of
/// the account's groups.
async fn add_details(
    roster: &Roster,
    caller: &roster_core::users::Caller,
    users: &[User],
    page: &mut Collection,
    details: Details,
) -> Result<(), CompatError> {
    let by_id: HashMap<String, &User> = users.iter().map(|u| (u.id.uuid(), u)).collect();
    let on_page: Vec<User> = page
        .data
        .iter()
        .filter_map(|row| row.get("id").and_then(Value::as_str))
        .filter_map(|id| by_id.get(id).map(|u| (*u).clone()))
        .collect();
    let memberships = roster.memberships_of(&on_page).await?;
    let groups: HashMap<_, Group> = match memberships.is_empty() {
        true => HashMap::new(),
        false => roster
            .all_groups(caller)
            .await?
            .into_iter()
            .map(|g| (g.id, g))
            .collect(),
    };
    for row in &mut page.data {
        let user = row
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| by_id.get(id));
        let mut mine: Vec<(&Membership, &Group)> = user
            .map(|u| {
                memberships
                    .iter()
                    .filter(|m| m.user_id == u.id)
                    .filter_map(|m| groups.get(&m.group_id).map(|g| (m, g)))
                    .collect()
            })
            .unwrap_or_default();
        mine.sort_by_key(|(_, g)| g.name.to_lowercase());
        let extra = match (details, user) {
            (Details::Hosted, Some(u)) => {
                let groups: Vec<Value> = mine
                    .iter()
                    .map(|(m, g)| {
                        json!({
                            "user": shapes::user_object(u),
                            "userGroup": shapes::group_object(g),
                            "userUserGroup": shapes::assignment_object(m),
                        })
                    })
                    .collect();
                json!({"groups": groups, "projectsData": [], "drivesData": []})
            }
            (Details::Hosted, None) => json!({"groups": [], "projectsData": [], "drivesData": []}),
            (_, _) => {
                let groups: Vec<GroupObject> =
                    mine.iter().map(|(_, g)| shapes::group_object(g)).collect();
                json!({"userGroups": groups, "projects": [], "sharedCloudDrives": []})
            }
        };
        merge(row, extra);
    }
    Ok(())
}

fn merge(row: &mut Value, extra: Value) {
    if let (Some(row), Value::Object(extra)) = (row.as_object_mut(), extra) {
        row.extend(extra);
    }
}

pub async fn get_all(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    list(roster, call, Details::None).await
}

pub async fn get_all_with_details_hosted(
    roster: &Roster,
    call: Call,
) -> Result<CompatReply, CompatError> {
    list(roster, call, Details::Hosted).await
}

pub async fn get_all_with_details_local(
    roster: &Roster,
    call: Call,
) -> Result<CompatReply, CompatError> {
    list(roster, call, Details::Local).await
}
