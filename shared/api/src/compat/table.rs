//! The compatibility routes (DESIGN §4b): one row per route of the two
//! replaced APIs. Each names its method, path, auth style, the native
//! operation it runs, its function and handler, the types of its query,
//! body and answer, the error codes of other operations it also calls,
//! and a summary.

use super::{assign, groups, me, offset, shapes, signup, user_list, users};
use super::{route, Answer, Auth, Method, Route};
use crate::error::Code;
use crate::Function;

/// Every compatibility route.
pub static ROUTES: &[Route] = &[
    // The hosted API.
    route!(
        Get, "/api/v1/user/signupinfo", Public, "user/signupInfo", Public, signup::signup_info,
        query: (signup::TokenQuery), body: -, answer: json shapes::UserObject<'static>,
        also: [],
        "Whom an invite's link is for (a pending User), without spending it"
    ),
    route!(
        Post, "/api/v1/user/signup", Public, "user/signup", Public, signup::signup,
        query: -, body: (signup::SignupBody), answer: json shapes::UserObject<'static>,
        also: [],
        "Signs up from an invite's link, spending it: the User, now active"
    ),
    route!(
        Get, "/api/v1/user/userinfo", Bearer, "user/info", Read, me::userinfo,
        query: -, body: -, answer: json shapes::UserInfo<'static>,
        also: [],
        "The caller and its account"
    ),
    route!(
        Put, "/api/v1/user/update_user", Bearer, "user/update", Write, me::update_user,
        query: -, body: (me::UpdateUserBody), answer: json shapes::UserInfo<'static>,
        also: [Forbidden],
        "Changes the caller's names, and (admins) the account's name"
    ),
    route!(
        Post, "/api/v1/user/reset_password", Bearer, "user/changePassword", Write, me::reset_password,
        query: -, body: (me::ResetPasswordBody), answer: empty,
        also: [],
        "Changes the caller's password, given the current one"
    ),
    route!(
        Post, "/api/v1/user/generate_mfa_token", Bearer, "user/mfaSecret", Write, me::generate_mfa_token,
        query: -, body: -, answer: text,
        also: [],
        "A new TOTP secret (base32, as text); nothing changes until set_mfa"
    ),
    route!(
        Post, "/api/v1/user/set_mfa", Bearer, "user/setMfa", Write, me::set_mfa,
        query: -, body: (me::SetMfaBody), answer: empty,
        also: [],
        "Turns MFA on (with a code of the new secret) or off (with a current code)"
    ),
    route!(
        Get, "/api/v1/user/get_all_users", Bearer, "user/find", Read, user_list::get_all,
        query: (user_list::ListQuery), body: -, answer: json offset::Collection<shapes::UserObject<'static>>,
        also: [Forbidden],
        "The account's users, filtered, sorted and paged"
    ),
    route!(
        Get, "/api/v1/user/get_all_users_with_details", Bearer, "user/find", Read, user_list::get_all_with_details_hosted,
        query: (user_list::ListQuery<offset::CompatDetailsPageSize>), body: -, answer: json offset::Collection<user_list::HostedRow<'static>>,
        also: [Forbidden],
        "The account's users with their groups, filtered, sorted and paged"
    ),
    route!(
        Delete, "/api/v1/user/delete_user", Bearer, "user/remove", Write, users::delete,
        query: (assign::IdQuery), body: -, answer: empty,
        also: [],
        "Removes a user (kept as removed for `deleted=true`)"
    ),
    route!(
        Post, "/api/v1/user/resend_user_email", Public, "user/resendInvite", Public, users::resend_public,
        query: -, body: (users::ResendBody), answer: empty,
        also: [],
        "Mails a pending user its invite again; the same answer for every address"
    ),
    route!(
        Get, "/api/v1/user/package_inquiry", Bearer, "account/usage", Read, me::package_inquiry,
        query: -, body: -, answer: json shapes::PackageInquiry,
        also: [],
        "What is left of the plan"
    ),
    route!(
        Post, "/api/v1/user/insert_user", Bearer, "user/invite", Write, users::insert_hosted,
        query: -, body: (users::InsertBody), answer: json shapes::UserObject<'static>,
        also: [],
        "Invites a user: a pending User, and a mailed link"
    ),
    route!(
        Put, "/api/v1/user/edit_user", Bearer, "user/updateRole", Write, users::edit_hosted,
        query: -, body: (users::EditTypeBody), answer: json shapes::UserObject<'static>,
        also: [],
        "Changes a user's type (role)"
    ),
    // The local API.
    route!(
        Get, "/user/get_all_users", QueryToken, "user/find", Read, user_list::get_all,
        query: (user_list::ListQuery), body: -, answer: json offset::Collection<shapes::UserObject<'static>>,
        also: [Forbidden],
        "The account's users, filtered, sorted and paged"
    ),
    route!(
        Get, "/user/get_all_users_with_details", QueryToken, "user/find", Read, user_list::get_all_with_details_local,
        query: (user_list::ListQuery<offset::CompatDetailsPageSize>), body: -, answer: json offset::Collection<user_list::LocalRow<'static>>,
        also: [Forbidden],
        "The account's users with their groups, filtered, sorted and paged"
    ),
    route!(
        Delete, "/user/delete_user", QueryToken, "user/remove", Write, users::delete,
        query: (assign::IdQuery), body: -, answer: empty,
        also: [],
        "Removes a user (kept as removed for `deleted=true`)"
    ),
    route!(
        Post, "/user/resend_user_email", QueryToken, "user/resendInvite", Write, users::resend_local,
        query: -, body: (users::UserRefBody), answer: empty,
        also: [],
        "Mails a pending user a new link"
    ),
    route!(
        Post, "/user/insert_user", QueryToken, "user/invite", Write, users::insert_local,
        query: -, body: (users::InsertBody), answer: json shapes::UserObject<'static>,
        also: [],
        "Invites a user: a pending User, and a mailed link (names and e-mail up to 50 characters)"
    ),
    route!(
        Put, "/user/edit_user", QueryToken, "user/update", Write, users::edit_local,
        query: -, body: (users::EditUserBody), answer: json shapes::UserObject<'static>,
        also: [LimitReached],
        "Changes a user's names, type and status; what the body leaves out keeps its value"
    ),
    route!(
        Post, "/user/generate_mfa_token", QueryToken, "user/mfaSecret", Write, me::generate_mfa_token,
        query: -, body: -, answer: text,
        also: [],
        "A new TOTP secret (base32, as text); nothing changes until set_mfa"
    ),
    route!(
        Post, "/user/set_mfa", QueryToken, "user/setMfa", Write, me::set_mfa,
        query: -, body: (me::SetMfaBody), answer: empty,
        also: [],
        "Turns MFA on (with a code of the new secret) or off (with a current code)"
    ),
    route!(
        Get, "/user/package_inquiry", QueryToken, "account/usage", Read, me::package_inquiry,
        query: -, body: -, answer: json shapes::PackageInquiry,
        also: [],
        "What is left of the plan"
    ),
    // The local API's user groups.
    route!(
        Get, "/usergroup/get_all", QueryToken, "group/find", Read, groups::get_all,
        query: (groups::ListQuery), body: -, answer: json offset::Collection<shapes::GroupObject<'static>>,
        also: [],
        "The account's groups, filtered, sorted and paged"
    ),
    route!(
        Get, "/usergroup/get_all_with_details", QueryToken, "group/find", Read, groups::get_all_with_details,
        query: (groups::ListQuery<offset::CompatDetailsPageSize>), body: -, answer: json offset::Collection<groups::DetailsRow<'static>>,
        also: [],
        "The account's groups with their users, filtered, sorted and paged"
    ),
    route!(
        Post, "/usergroup/insert", QueryToken, "group/create", Write, groups::insert,
        query: -, body: (groups::InsertBody), answer: json shapes::GroupObject<'static>,
        also: [],
        "Creates a group, within the plan's groups"
    ),
    route!(
        Put, "/usergroup/update", QueryToken, "group/update", Write, groups::update,
        query: -, body: (groups::UpdateBody), answer: json shapes::GroupObject<'static>,
        also: [],
        "Changes a group; what the body leaves out keeps its value"
    ),
    route!(
        Delete, "/usergroup/delete", QueryToken, "group/remove", Write, groups::delete,
        query: (assign::IdQuery), body: -, answer: empty,
        also: [],
        "Removes a group and its assignments"
    ),
    route!(
        Get, "/usergroup/get_assigned_users", QueryToken, "group/members", Read, assign::assigned_users,
        query: (assign::UsersQuery), body: -, answer: json offset::Collection<assign::AssignmentDto<'static>>,
        also: [],
        "A group's assignments, each with its user"
    ),
    route!(
        Get, "/usergroup/get_assigned_usergroups", QueryToken, "group/ofUser", Read, assign::assigned_groups,
        query: (assign::GroupsQuery), body: -, answer: json offset::Collection<assign::AssignmentDto<'static>>,
        also: [],
        "A user's assignments, each with its group"
    ),
    route!(
        Post, "/usergroup/assign_users", QueryToken, "group/assign", Write, assign::assign,
        query: -, body: (assign::Pairs), answer: empty,
        also: [],
        "Puts users in groups; pairs that exist are skipped"
    ),
    route!(
        Delete, "/usergroup/unassign_user", QueryToken, "group/unassign", Write, assign::unassign,
        query: (assign::IdQuery), body: -, answer: empty,
        also: [],
        "Takes a user out of a group, by the assignment's id"
    ),
    route!(
        Post, "/usergroup/import_users", QueryToken, "group/import", Write, assign::import,
        query: -, body: (assign::Entries), answer: json assign::ImportView,
        also: [NotFound, LimitReached, Conflict],
        "Invites users and puts them in groups (by id, else by name, created when missing), a result per entry"
    ),
];
