//! The replaced APIs' objects, field for field as their documents spell
//! them, and the mappings between their numbers and roster's words (the
//! README's tables say the same).

use roster_core::clock::rfc3339;
use roster_core::domain::{Role, UserState};
use roster_core::plans::SeatKind;
use roster_core::repo::groups::{Group, Membership};
use roster_core::repo::tombstones::Tombstone;
use roster_core::repo::{Account, User};
use roster_core::users::SignupInfo;
use roster_core::Error;

use crate::schema;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

/// `userType` flags, one per role; the owner is `owner: true` with
/// [`ADMIN`]. The documents' example `32` is a `user`.
pub const ADMIN: u32 = 16;
pub const USER: u32 = 32;
pub const VIEWER: u32 = 64;
/// The `userType` values roster answers: one flag each.
fn user_type_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "integer",
        "enum": [ADMIN, USER, VIEWER],
        "description": "16 admin (and the owner), 32 user, 64 viewer.",
    })
}

/// The `status` values roster answers.
fn status_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "integer", "enum": [ACTIVE, INACTIVE, PENDING]})
}

pub fn user_type(role: Role) -> u32 {
    match role {
        Role::Owner | Role::Admin => ADMIN,
        Role::User => USER,
        Role::Viewer => VIEWER,
    }
}

/// `subscriptionType`: the plan.
pub fn subscription_type(plan: &str) -> u32 {
    match plan {
        "free" => 0,
        "team" => 1,
        "business" => 2,
        _ => 3, // custom
    }
}

/// `authProvider`: 0 a password, 1 an identity of the hosted UI.
pub fn auth_provider(user: &User) -> u32 {
    u32::from(user.idp.is_some())
}

/// `userinfo`, and what `update_user` answers.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatUserInfo")]
pub struct UserInfo<'a> {
    #[schemars(with = "schema::Id")]
    pub user_id: String,
    #[schemars(with = "schema::Email")]
    pub username: &'a str,
    pub firstname: &'a str,
    pub lastname: &'a str,
    #[schemars(schema_with = "user_type_schema")]
    pub user_type: u32,
    pub mfa: bool,
    /// Always false: roster has no migration to finish.
    pub migration: bool,
    pub owner: bool,
    #[schemars(with = "schema::Id")]
    pub account_id: String,
    pub account_name: &'a str,
    /// 0 free, 1 team, 2 business, 3 a custom plan.
    #[schemars(range(max = 3))]
    pub subscription_type: u32,
    /// 0 a password, 1 an identity of the hosted UI.
    #[schemars(range(max = 1))]
    pub auth_provider: u32,
}

pub fn user_info<'a>(user: &'a User, account: &'a Account) -> UserInfo<'a> {
    UserInfo {
        user_id: user.id.uuid(),
        username: user.email.as_str(),
        firstname: &user.first,
        lastname: &user.last,
        user_type: user_type(user.role),
        mfa: user.mfa,
        migration: false,
        owner: user.role == Role::Owner,
        account_id: account.id.uuid(),
        account_name: &account.name,
        subscription_type: subscription_type(&account.plan),
        auth_provider: auth_provider(user),
    }
}

/// `package_inquiry`: what is left of the plan. Seats per kind and groups
/// from roster's counters (never below 0); the rest from the plan's
/// `features`, 0 or false when the plan does not name them (`storage` is
/// the feature `storageGb`).
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatPackageInquiry")]
pub struct PackageInquiry {
    pub admin_users: i64,
    pub creative_users: i64,
    pub standard_users: i64,
    pub storage: i64,
    pub connections: i64,
    pub projects: i64,
    pub teams: i64,
    pub drives: i64,
    pub syncs: i64,
    pub logs: bool,
    pub sso: bool,
}

pub fn package_inquiry(account: &Account) -> PackageInquiry {
    let features = &account.limits.features;
    let number = |name: &str| features.get(name).and_then(Value::as_i64).unwrap_or(0);
    let flag = |name: &str| features.get(name).and_then(Value::as_bool).unwrap_or(false);
    PackageInquiry {
        admin_users: account.seats(SeatKind::Admin).remaining,
        creative_users: account.seats(SeatKind::User).remaining,
        standard_users: account.seats(SeatKind::Viewer).remaining,
        storage: number("storageGb"),
        connections: number("connections"),
        projects: number("projects"),
        teams: account.groups().remaining,
        drives: number("drives"),
        syncs: number("syncs"),
        logs: flag("logs"),
        sso: flag("sso"),
    }
}

/// `status` flags.
pub const ACTIVE: u32 = 1;
pub const INACTIVE: u32 = 2;
pub const PENDING: u32 = 4;

pub fn status(state: UserState) -> u32 {
    match state {
        UserState::Active => ACTIVE,
        UserState::Disabled => INACTIVE,
        UserState::Pending => PENDING,
    }
}

/// The state a single `status` flag names.
pub fn state_of(status: i64) -> Result<UserState, Error> {
    match u32::try_from(status) {
        Ok(ACTIVE) => Ok(UserState::Active),
        Ok(INACTIVE) => Ok(UserState::Disabled),
        Ok(PENDING) => Ok(UserState::Pending),
        _ => Err(Error::invalid(
            "status",
            format!(
                "status is one of {ACTIVE} (active), {INACTIVE} (inactive), {PENDING} (pending)"
            ),
        )),
    }
}

/// The role a `userType` names: exactly one of its flags (the owner's role
/// is never granted).
pub fn role_of(user_type: i64) -> Result<Role, Error> {
    match u32::try_from(user_type) {
        Ok(ADMIN) => Ok(Role::Admin),
        Ok(USER) => Ok(Role::User),
        Ok(VIEWER) => Ok(Role::Viewer),
        _ => Err(Error::invalid(
            "userType",
            format!("userType is one of {ADMIN} (admin), {USER} (user), {VIEWER} (viewer)"),
        )),
    }
}

/// The User object of both APIs.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatUser")]
pub struct UserObject<'a> {
    #[schemars(with = "schema::Id")]
    pub id: String,
    pub firstname: &'a str,
    pub lastname: &'a str,
    /// The e-mail.
    #[schemars(with = "schema::Email")]
    pub username: &'a str,
    #[schemars(with = "schema::Email")]
    pub email: &'a str,
    #[schemars(schema_with = "user_type_schema")]
    pub user_type: u32,
    /// 1 active, 2 inactive (disabled, or removed), 4 pending.
    #[schemars(schema_with = "status_schema")]
    pub status: u32,
    pub owner: bool,
    pub mfa: bool,
    #[schemars(with = "schema::Time")]
    pub create_date: String,
    /// A removed user (listed only with `deleted=true`).
    pub deleted: bool,
    /// When it was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<schema::Time>")]
    pub delete_date: Option<String>,
}

pub fn user_object(user: &User) -> UserObject<'_> {
    UserObject {
        id: user.id.uuid(),
        firstname: &user.first,
        lastname: &user.last,
        username: user.email.as_str(),
        email: user.email.as_str(),
        user_type: user_type(user.role),
        status: status(user.state),
        owner: user.role == Role::Owner,
        mfa: user.mfa,
        create_date: rfc3339(user.created),
        deleted: false,
        delete_date: None,
    }
}

/// A removed user: `deleted: true`, status Inactive (it can do nothing),
/// and when it was removed.
pub fn removed_object(gone: &Tombstone) -> UserObject<'_> {
    UserObject {
        id: gone.id.uuid(),
        firstname: &gone.first,
        lastname: &gone.last,
        username: &gone.email,
        email: &gone.email,
        user_type: user_type(gone.role),
        status: INACTIVE,
        owner: gone.role == Role::Owner,
        mfa: gone.mfa,
        create_date: rfc3339(gone.created),
        deleted: true,
        delete_date: Some(rfc3339(gone.removed)),
    }
}

/// The sortable fields of a User object.
pub const USER_FIELDS: &[&str] = &[
    "id",
    "firstname",
    "lastname",
    "username",
    "email",
    "userType",
    "status",
    "owner",
    "mfa",
    "createDate",
    "deleted",
    "deleteDate",
];

/// The UserGroup object.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatUserGroup")]
pub struct GroupObject<'a> {
    #[schemars(with = "schema::Id")]
    pub id: String,
    pub name: &'a str,
    pub description: &'a str,
    pub active: bool,
    /// Its members.
    #[schemars(range(min = 0))]
    pub user_count: i64,
    #[schemars(with = "schema::Time")]
    pub create_date: String,
}

pub fn group_object(group: &Group) -> GroupObject<'_> {
    GroupObject {
        id: group.id.uuid(),
        name: &group.name,
        description: &group.description,
        active: group.active,
        user_count: group.members.max(0),
        create_date: rfc3339(group.created),
    }
}

/// The sortable fields of a UserGroup object.
pub const GROUP_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "active",
    "userCount",
    "createDate",
];

/// The UserUserGroup object: one user in one group, named by its own id
/// (what `unassign_user?id=` takes).
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatUserUserGroup")]
pub struct AssignmentObject {
    #[schemars(with = "schema::Id")]
    pub id: String,
    #[schemars(with = "schema::Id")]
    pub user_id: String,
    #[schemars(with = "schema::Id")]
    pub user_group_id: String,
    #[schemars(with = "schema::Time")]
    pub create_date: String,
}

pub fn assignment_object(m: &Membership) -> AssignmentObject {
    AssignmentObject {
        id: m.id.uuid(),
        user_id: m.user_id.uuid(),
        user_group_id: m.group_id.uuid(),
        create_date: rfc3339(m.created),
    }
}

/// A pending user as a signup link shows it.
pub fn pending_object(info: &SignupInfo) -> UserObject<'_> {
    UserObject {
        id: info.user_id.uuid(),
        firstname: &info.first,
        lastname: &info.last,
        username: info.email.as_str(),
        email: info.email.as_str(),
        user_type: user_type(info.role),
        status: PENDING,
        owner: info.role == Role::Owner,
        mfa: false,
        create_date: rfc3339(info.created),
        deleted: false,
        delete_date: None,
    }
}
