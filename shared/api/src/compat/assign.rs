//! The local API's assignments (a user in a group, named by its own id):
//! `get_assigned_users?userGroupId=` (filter `username`, sorted by
//! `User.Username`), `get_assigned_usergroups?userId=` (filter `name`,
//! sorted by `UserGroup.Name`), `assign_users` (an array; pairs that exist
//! are skipped), `unassign_user?id=` and `import_users`.

use roster_core::domain::{Email, GroupId, GroupName, MembershipId, Name, Role, UserId};
use roster_core::groups::{ImportRow, RowOutcome, RowStatus};
use roster_core::{Error, Roster};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::offset::{contains, Listing, Params};
use super::shapes::{self, AssignmentObject, GroupObject, UserObject};
use super::{CompatError, CompatReply};
use crate::{ApiError, Call};

/// UserUserGroupDTO: the assignment, with its user and its group.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatAssignment")]
pub(crate) struct AssignmentDto<'a> {
    #[serde(flatten)]
    assignment: AssignmentObject,
    user: UserObject<'a>,
    user_group: GroupObject<'a>,
}

/// Its sortable fields: its own, and its user's and group's with a prefix.
fn assignment_fields() -> Vec<String> {
    let own = ["id", "userId", "userGroupId", "createDate"].map(String::from);
    let users = shapes::USER_FIELDS.iter().map(|f| format!("user.{f}"));
    let groups = shapes::GROUP_FIELDS
        .iter()
        .map(|f| format!("userGroup.{f}"));
    own.into_iter().chain(users).chain(groups).collect()
}

/// The query of `get_assigned_users`.
#[derive(JsonSchema)]
#[schemars(rename_all = "camelCase")]
#[allow(dead_code)] // read by name (`Params`), described by this type
pub(crate) struct UsersQuery {
    /// The group.
    #[schemars(with = "crate::schema::Id")]
    user_group_id: String,
    /// A part of the member's e-mail, any case.
    #[schemars(length(max = 254))]
    username: Option<String>,
    #[serde(flatten)]
    paging: PagingQuery,
}

/// The query of `get_assigned_usergroups`.
#[derive(JsonSchema)]
#[schemars(rename_all = "camelCase")]
#[allow(dead_code)] // read by name (`Params`), described by this type
pub(crate) struct GroupsQuery {
    /// The user.
    #[schemars(with = "crate::schema::Id")]
    user_id: String,
    /// A part of the group's name, any case.
    #[schemars(length(max = 100))]
    name: Option<String>,
    #[serde(flatten)]
    paging: PagingQuery,
}

/// Paging and sorting of assignments.
#[derive(JsonSchema)]
#[allow(dead_code)] // read by name (`Params`), described by this type
struct PagingQuery {
    /// From 1.
    #[schemars(with = "Option<super::offset::CompatPage>")]
    page: Option<i64>,
    /// 1 to 1,000; 50 unless given.
    #[schemars(with = "Option<super::offset::CompatPageSize>")]
    pagesize: Option<i64>,
    /// A field of the assignment, or of its user (`user.`) or group
    /// (`userGroup.`), any case.
    #[schemars(with = "Option<AssignmentSortField>")]
    sortfield: Option<String>,
    /// `false` unless given.
    #[schemars(with = "Option<super::offset::CompatFlag>")]
    descending: Option<String>,
}

crate::schema::value!(
    /// A field of the assignment, or of its user (`user.`) or group
    /// (`userGroup.`), in any case.
    AssignmentSortField,
    {
        let fields = assignment_fields();
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        crate::schema::any_case_of(&fields)
    }
);

/// The query of the routes that name one thing by `id`.
#[derive(JsonSchema)]
#[allow(dead_code)] // read by name (`Params`), described by this type
pub(crate) struct IdQuery {
    #[schemars(with = "crate::schema::Id")]
    id: String,
}

fn listing(params: &Params, default: &str) -> Result<Listing, CompatError> {
    let fields = assignment_fields();
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    Listing::read(params, &fields, default, false)
}

pub async fn assigned_users(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let params = Params::of(&call);
    let listing = listing(&params, "user.username")?;
    let needle = params.substring("username", Email::MAX_LEN)?;
    let gid = GroupId::parse_field("userGroupId", Params::of(&call).required("userGroupId")?)?;
    let (group, members) = roster.assignments_of_group(call.caller()?, gid).await?;
    let rows: Vec<AssignmentDto> = members
        .iter()
        .filter(|(_, u)| contains(u.email.as_str(), needle.as_deref()))
        .map(|(m, u)| AssignmentDto {
            assignment: shapes::assignment_object(m),
            user: shapes::user_object(u),
            user_group: shapes::group_object(&group),
        })
        .collect();
    CompatReply::json(&listing.collect(rows)?)
}

pub async fn assigned_groups(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let params = Params::of(&call);
    let listing = listing(&params, "userGroup.name")?;
    let needle = params.substring("name", GroupName::MAX_LEN)?;
    let uid = UserId::parse_field("userId", Params::of(&call).required("userId")?)?;
    let (user, groups) = roster.assignments_of_user(call.caller()?, uid).await?;
    let rows: Vec<AssignmentDto> = groups
        .iter()
        .filter(|(_, g)| contains(&g.name, needle.as_deref()))
        .map(|(m, g)| AssignmentDto {
            assignment: shapes::assignment_object(m),
            user: shapes::user_object(&user),
            user_group: shapes::group_object(g),
        })
        .collect();
    CompatReply::json(&listing.collect(rows)?)
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatAssignUser")]
pub(crate) struct Pair {
    #[schemars(with = "crate::schema::Id")]
    user_id: String,
    #[schemars(with = "crate::schema::Id")]
    user_group_id: String,
}

/// `assign_users`' body: the pairs, at most 100.
#[derive(JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)] // the handler reads a `Vec<Pair>`; this adds its bound
pub(crate) struct Pairs(#[schemars(length(max = 100))] Vec<Pair>);

/// `assign_users`: an array of `{userId, userGroupId}`; 200 with an empty
/// body, pairs that exist already skipped.
pub async fn assign(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let pairs: Vec<Pair> = call.list_body()?;
    let pairs = pairs
        .iter()
        .map(|p| {
            Ok((
                UserId::parse_field("userId", &p.user_id)?,
                GroupId::parse_field("userGroupId", &p.user_group_id)?,
            ))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    roster.assign(call.caller()?, pairs).await?;
    Ok(CompatReply::Empty)
}

/// `unassign_user?id=`: the assignment named by its own id.
pub async fn unassign(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let mid = MembershipId::parse_field("id", Params::of(&call).required("id")?)?;
    roster.unassign_membership(call.caller()?, mid).await?;
    Ok(CompatReply::Empty)
}

/// An entry of `import_users`: a user and the groups to put it in.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatImportEntry")]
pub(crate) struct RelationBody {
    user: RelationUser,
    #[serde(default)]
    #[schemars(length(max = 30))]
    user_groups: Vec<GroupRef>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatImportUser")]
struct RelationUser {
    /// The e-mail.
    #[schemars(with = "crate::schema::Email")]
    username: String,
    #[schemars(with = "Option<crate::schema::Name>")]
    first_name: Option<String>,
    #[schemars(with = "Option<crate::schema::Name>")]
    last_name: Option<String>,
}

/// A group by its id, else by its name (created when missing).
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "CompatImportGroup")]
struct GroupRef {
    #[schemars(with = "Option<crate::schema::Id>")]
    id: Option<String>,
    #[schemars(with = "Option<crate::schema::Title>")]
    name: Option<String>,
}

/// `import_users`' body: at most 200 entries, each parsed alone (a
/// malformed one fails alone, and its result says why).
#[derive(JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)] // the handler reads the entries one by one
pub(crate) struct Entries(
    #[schemars(length(max = 200))] Vec<crate::schema::FailsAlone<RelationBody>>,
);

/// What became of one entry: roster's `group/import` result, ids as the
/// replaced APIs write them, errors in their model.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatImportResult")]
pub(crate) struct RowView {
    /// The entry's index, from 0.
    row: usize,
    username: String,
    /// `invited`, `existing` or `failed`.
    #[schemars(schema_with = "row_status")]
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::schema::Id>")]
    user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<super::CompatErrorBody<'static>>")]
    error: Option<CompatError>,
}

/// A result per entry, in the entries' order.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CompatImportResults")]
pub(crate) struct ImportView {
    results: Vec<RowView>,
}

fn row_status(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "enum": ["invited", "existing", "failed"]})
}

/// `import_users`: each entry's user (by `username`; invited with role
/// `user` when new) into its groups (by `id`, else by `name`, created when
/// missing): roster's `group/import`, 200 with a result per entry.
pub async fn import(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let entries: Vec<Value> = call.list_body()?;
    roster_core::groups::check_import_rows(entries.len())?;
    let caller = call.caller()?;
    let names: std::collections::HashMap<String, String> = roster.group_names(caller).await?;
    let usernames: Vec<String> = entries
        .iter()
        .map(|e| {
            e.pointer("/user/username")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let rows = entries
        .into_iter()
        .map(|e| parse_entry(e, &names))
        .collect();
    let outcomes = roster.import(caller, rows).await?;
    let results = outcomes
        .into_iter()
        .zip(usernames)
        .enumerate()
        .map(|(row, (outcome, username))| view(row, username, outcome))
        .collect();
    CompatReply::json(&ImportView { results })
}

/// One entry as an import row; its groups by id (the group's current name)
/// else by name.
fn parse_entry(
    value: Value,
    names: &std::collections::HashMap<String, String>,
) -> Result<ImportRow, CompatError> {
    let b: RelationBody = serde_json::from_value(value)
        .map_err(|e| ApiError::bad_request(format!("the entry does not fit import_users: {e}")))?;
    let email = Email::parse(&b.user.username)
        .map_err(|_| Error::invalid("username", "username is an e-mail address"))?;
    let groups = b
        .user_groups
        .iter()
        .map(|g| {
            let by_id =
                g.id.as_deref()
                    .filter(|id| !id.trim().is_empty())
                    .map(|id| {
                        let gid = GroupId::parse_field("userGroups.id", id)?;
                        Ok::<_, Error>(names.get(&gid.to_string()).cloned())
                    })
                    .transpose()?
                    .flatten();
            match by_id.or_else(|| g.name.clone()) {
                Some(name) => GroupName::parse("userGroups.name", &name),
                None => Err(Error::NotFound("no such group")),
            }
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(ImportRow {
        email,
        first: Name::parse("firstName", b.user.first_name.as_deref().unwrap_or(""))?,
        last: Name::parse("lastName", b.user.last_name.as_deref().unwrap_or(""))?,
        role: Role::User,
        groups,
    })
}

fn view(row: usize, username: String, outcome: RowOutcome<CompatError>) -> RowView {
    RowView {
        row,
        username,
        status: match outcome.status {
            RowStatus::Invited => "invited",
            RowStatus::Existing => "existing",
            RowStatus::Failed => "failed",
        },
        user_id: outcome.user_id.map(|u| u.uuid()),
        error: outcome.error,
    }
}
