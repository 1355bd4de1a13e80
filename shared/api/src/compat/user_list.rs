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
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::offset::{contains, Listing, Params, MAX_DETAILS_PAGE_SIZE, MAX_PAGE_SIZE};
use super::shapes::{self, AssignmentObject, GroupObject, UserObject};
use super::{CompatError, CompatReply};
use crate::Call;

/// A row of `get_all_users_with_details` on the hosted API: the user, its
/// groups as assignments, and the empty projects and drives (roster has
/// none).
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatHostedUserDetails")]
pub(crate) struct HostedRow<'a> {
    #[serde(flatten)]
    user: UserObject<'a>,
    groups: Vec<HostedGroup<'a>>,
    #[schemars(with = "crate::schema::EmptyList")]
    projects_data: Vec<Value>,
    #[schemars(with = "crate::schema::EmptyList")]
    drives_data: Vec<Value>,
}

/// One of a user's groups, as the hosted API details it.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatHostedUserGroup")]
pub(crate) struct HostedGroup<'a> {
    user: UserObject<'a>,
    user_group: GroupObject<'a>,
    user_user_group: AssignmentObject,
}

/// A row of `get_all_users_with_details` on the local API.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatLocalUserDetails")]
pub(crate) struct LocalRow<'a> {
    #[serde(flatten)]
    user: UserObject<'a>,
    user_groups: Vec<GroupObject<'a>>,
    #[schemars(with = "crate::schema::EmptyList")]
    projects: Vec<Value>,
    #[schemars(with = "crate::schema::EmptyList")]
    shared_cloud_drives: Vec<Value>,
}

/// The query of both lists: paging, sorting and the filters.
#[derive(JsonSchema)]
#[schemars(rename_all = "camelCase")]
#[allow(dead_code)] // read by name (`Params`), described by this type
pub(crate) struct ListQuery<Size: JsonSchema = super::offset::CompatPageSize> {
    /// From 1.
    #[schemars(with = "Option<super::offset::CompatPage>")]
    page: Option<i64>,
    /// 1 to 1,000 (with details, 1 to 100); 50 unless given.
    pagesize: Option<Size>,
    /// A field of the User object, any case (`createDate` unless given).
    #[schemars(with = "Option<UserSortField>")]
    sortfield: Option<String>,
    /// `true` unless given.
    #[schemars(with = "Option<super::offset::CompatFlag>")]
    descending: Option<String>,
    /// Flags of `status` (1 active, 2 inactive, 4 pending): any of them.
    #[schemars(with = "Option<super::offset::CompatFlags>")]
    user_status: Option<i64>,
    /// Flags of `userType` (16 admin, 32 user, 64 viewer): any of them.
    #[schemars(with = "Option<super::offset::CompatFlags>")]
    user_type: Option<i64>,
    /// A part of the e-mail, any case.
    #[schemars(length(max = 254))]
    username: Option<String>,
    /// With removed users too (admins).
    #[schemars(with = "Option<super::offset::CompatFlag>")]
    deleted: Option<String>,
}

crate::schema::value!(
    /// A field of the User object, in any case.
    UserSortField,
    crate::schema::any_case_of(shapes::USER_FIELDS)
);

/// What a row carries besides the User object.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Details {
    None,
    Hosted,
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
    let page = listing.collect(rows)?;
    if details == Details::None {
        return CompatReply::json(&page);
    }
    // The groups of the page's users: one batch read of their memberships,
    // one Query of the account's groups.
    let by_id: HashMap<String, &User> = users.iter().map(|u| (u.id.uuid(), u)).collect();
    let on_page: Vec<User> = page
        .data
        .iter()
        .filter_map(|row| by_id.get(&row.id).map(|u| (*u).clone()))
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
    let groups_of = |row: &UserObject| -> Vec<(&Membership, &Group)> {
        let mut mine: Vec<(&Membership, &Group)> = match by_id.get(&row.id) {
            Some(u) => memberships
                .iter()
                .filter(|m| m.user_id == u.id)
                .filter_map(|m| groups.get(&m.group_id).map(|g| (m, g)))
                .collect(),
            None => Vec::new(),
        };
        mine.sort_by_key(|(_, g)| g.name.to_lowercase());
        mine
    };
    if details == Details::Hosted {
        let page = page.map(|row| {
            let groups = match by_id.get(&row.id) {
                Some(u) => groups_of(&row)
                    .into_iter()
                    .map(|(m, g)| HostedGroup {
                        user: shapes::user_object(u),
                        user_group: shapes::group_object(g),
                        user_user_group: shapes::assignment_object(m),
                    })
                    .collect(),
                None => Vec::new(),
            };
            HostedRow {
                user: row,
                groups,
                projects_data: Vec::new(),
                drives_data: Vec::new(),
            }
        });
        return CompatReply::json(&page);
    }
    let page = page.map(|row| LocalRow {
        user_groups: groups_of(&row)
            .into_iter()
            .map(|(_, g)| shapes::group_object(g))
            .collect(),
        user: row,
        projects: Vec::new(),
        shared_cloud_drives: Vec::new(),
    });
    CompatReply::json(&page)
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
