//! The APIs roster replaces (DESIGN §4b): the hosted REST API under
//! `/api/v1/user/*` (bearer token) and the desktop agent's local API under
//! `/user/*` and `/usergroup/*` (the access token in `?token=`, which never
//! reaches a log line: spans name the route, never the URI).
//!
//! A second route table beside [`crate::OPERATIONS`]: each route names its
//! method, path, auth style, the native operation whose core use case it
//! calls, and its Lambda function. The routers, the SAM template's routes and
//! the event fixtures are built or checked from it as for native operations.
//! Handlers only translate shapes: every rule stays in `core`.
//!
//! - `dispatch`: running a route (auth style, body, request id, errors).
//! - `error`: their error model (499 with an `error-code` header).
//! - `shapes`: their objects and the mappings (user types, statuses, plans).
//! - `offset`: their offset paging, sorting and query parameters.
//! - `me`: what a signed-in user does to itself and reads of its account.
//! - `signup`: following an invite.
//! - `users`: an admin inviting, editing and removing the account's users.
//! - `user_list`: listing users (with details, with removed ones).
//! - `groups`: the local API's user groups.
//! - `assign`: the local API's assignments and import.

mod assign;
pub(crate) mod dispatch;
mod error;
mod groups;
mod me;
mod offset;
mod shapes;
mod signup;
mod user_list;
mod users;

use std::future::Future;
use std::pin::Pin;

use axum::body::Bytes;
use roster_core::Roster;

pub use error::CompatError;

use crate::{Call, Function};

/// An HTTP method a route answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// How a route's caller proves who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Public,
    /// `Authorization: Bearer <access token>` (the hosted API).
    Bearer,
    /// `?token=<access token>` (the local API).
    QueryToken,
}

/// What a compatibility handler answers.
pub enum CompatReply {
    Json(Bytes),
    /// `text/plain` (the bare MFA secret).
    Text(String),
    /// 200 with an empty body.
    Empty,
}

impl CompatReply {
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<CompatReply, CompatError> {
        serde_json::to_vec(value)
            .map(|v| CompatReply::Json(v.into()))
            .map_err(|e| roster_core::Error::internal("serialising a reply", e).into())
    }
}

pub type CompatFuture = Pin<Box<dyn Future<Output = Result<CompatReply, CompatError>> + Send>>;
pub type CompatHandler = fn(Roster, Call) -> CompatFuture;

pub struct Route {
    pub method: Method,
    /// The full path, e.g. `/api/v1/user/userinfo`.
    pub path: &'static str,
    pub auth: Auth,
    /// The native operation whose core use case the route calls.
    pub uses: &'static str,
    pub function: Function,
    pub handler: CompatHandler,
}

macro_rules! route {
    ($method:ident, $path:literal, $auth:ident, $uses:literal, $function:ident, $handler:path) => {
        Route {
            method: Method::$method,
            path: $path,
            auth: Auth::$auth,
            uses: $uses,
            function: Function::$function,
            handler: |roster, call| Box::pin(async move { $handler(&roster, call).await }),
        }
    };
}

/// Every compatibility route.
pub static ROUTES: &[Route] = &[
    // The hosted API.
    route!(
        Get,
        "/api/v1/user/signupinfo",
        Public,
        "user/signupInfo",
        Public,
        signup::signup_info
    ),
    route!(
        Post,
        "/api/v1/user/signup",
        Public,
        "user/signup",
        Public,
        signup::signup
    ),
    route!(
        Get,
        "/api/v1/user/userinfo",
        Bearer,
        "user/info",
        Read,
        me::userinfo
    ),
    route!(
        Put,
        "/api/v1/user/update_user",
        Bearer,
        "user/update",
        Write,
        me::update_user
    ),
    route!(
        Post,
        "/api/v1/user/reset_password",
        Bearer,
        "user/changePassword",
        Write,
        me::reset_password
    ),
    route!(
        Post,
        "/api/v1/user/generate_mfa_token",
        Bearer,
        "user/mfaSecret",
        Write,
        me::generate_mfa_token
    ),
    route!(
        Post,
        "/api/v1/user/set_mfa",
        Bearer,
        "user/setMfa",
        Write,
        me::set_mfa
    ),
    route!(
        Get,
        "/api/v1/user/get_all_users",
        Bearer,
        "user/find",
        Read,
        user_list::get_all
    ),
    route!(
        Get,
        "/api/v1/user/get_all_users_with_details",
        Bearer,
        "user/find",
        Read,
        user_list::get_all_with_details_hosted
    ),
    route!(
        Delete,
        "/api/v1/user/delete_user",
        Bearer,
        "user/remove",
        Write,
        users::delete
    ),
    route!(
        Post,
        "/api/v1/user/resend_user_email",
        Public,
        "user/resendInvite",
        Public,
        users::resend_public
    ),
    route!(
        Get,
        "/api/v1/user/package_inquiry",
        Bearer,
        "account/usage",
        Read,
        me::package_inquiry
    ),
    route!(
        Post,
        "/api/v1/user/insert_user",
        Bearer,
        "user/invite",
        Write,
        users::insert_hosted
    ),
    route!(
        Put,
        "/api/v1/user/edit_user",
        Bearer,
        "user/updateRole",
        Write,
        users::edit_hosted
    ),
    // The local API.
    route!(
        Get,
        "/user/get_all_users",
        QueryToken,
        "user/find",
        Read,
        user_list::get_all
    ),
    route!(
        Get,
        "/user/get_all_users_with_details",
        QueryToken,
        "user/find",
        Read,
        user_list::get_all_with_details_local
    ),
    route!(
        Delete,
        "/user/delete_user",
        QueryToken,
        "user/remove",
        Write,
        users::delete
    ),
    route!(
        Post,
        "/user/resend_user_email",
        QueryToken,
        "user/resendInvite",
        Write,
        users::resend_local
    ),
    route!(
        Post,
        "/user/insert_user",
        QueryToken,
        "user/invite",
        Write,
        users::insert_local
    ),
    route!(
        Put,
        "/user/edit_user",
        QueryToken,
        "user/update",
        Write,
        users::edit_local
    ),
    route!(
        Post,
        "/user/generate_mfa_token",
        QueryToken,
        "user/mfaSecret",
        Write,
        me::generate_mfa_token
    ),
    route!(
        Post,
        "/user/set_mfa",
        QueryToken,
        "user/setMfa",
        Write,
        me::set_mfa
    ),
    route!(
        Get,
        "/user/package_inquiry",
        QueryToken,
        "account/usage",
        Read,
        me::package_inquiry
    ),
    // The local API's user groups.
    route!(
        Get,
        "/usergroup/get_all",
        QueryToken,
        "group/find",
        Read,
        groups::get_all
    ),
    route!(
        Get,
        "/usergroup/get_all_with_details",
        QueryToken,
        "group/find",
        Read,
        groups::get_all_with_details
    ),
    route!(
        Post,
        "/usergroup/insert",
        QueryToken,
        "group/create",
        Write,
        groups::insert
    ),
    route!(
        Put,
        "/usergroup/update",
        QueryToken,
        "group/update",
        Write,
        groups::update
    ),
    route!(
        Delete,
        "/usergroup/delete",
        QueryToken,
        "group/remove",
        Write,
        groups::delete
    ),
    route!(
        Get,
        "/usergroup/get_assigned_users",
        QueryToken,
        "group/members",
        Read,
        assign::assigned_users
    ),
    route!(
        Get,
        "/usergroup/get_assigned_usergroups",
        QueryToken,
        "group/ofUser",
        Read,
        assign::assigned_groups
    ),
    route!(
        Post,
        "/usergroup/assign_users",
        QueryToken,
        "group/assign",
        Write,
        assign::assign
    ),
    route!(
        Delete,
        "/usergroup/unassign_user",
        QueryToken,
        "group/unassign",
        Write,
        assign::unassign
    ),
    route!(
        Post,
        "/usergroup/import_users",
        QueryToken,
        "group/import",
        Write,
        assign::import
    ),
];
