//! The operation table: for each operation its path, who may call it, its
//! Lambda function and its handler. The router, the Lambda routers, and (with
//! later issues) the OpenAPI document, SAM routes and event fixtures are all
//! built from this one list.

mod account;
mod group;
mod user;

use std::future::Future;
use std::pin::Pin;

use crate::views::Reply;
use crate::{ApiError, Call};
use roster_core::Roster;

/// Which Lambda serves an operation. Split by privilege: `read` holds no write
/// permission; `public` only what unauthenticated flows need (create a login
/// at signup, set a password from a reset link, send registration and reset
/// mails); administering other users' logins and inviting are `write`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    Public,
    Read,
    Write,
}

impl Function {
    pub fn name(self) -> &'static str {
        match self {
            Function::Public => "public",
            Function::Read => "read",
            Function::Write => "write",
        }
    }
}

/// Who may call an operation. The router enforces `Public` versus
/// authenticated; the finer rules (self, admin, owner) are `core::policy`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    Member,
    /// The caller itself, or an admin for others.
    SelfOrAdmin,
    SelfOnly,
    Admin,
}

impl Access {
    pub fn is_public(self) -> bool {
        self == Access::Public
    }
}

pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<Reply, ApiError>> + Send>>;
pub type Handler = fn(Roster, Call) -> HandlerFuture;

pub struct Operation {
    /// `resource/action`; served at `POST /<path>`.
    pub path: &'static str,
    pub access: Access,
    pub function: Function,
    /// Largest request body accepted.
    pub body_limit: usize,
    pub handler: Handler,
}

/// Request bodies up to 64 KiB, unless an operation says otherwise
/// (`group/import`: 1 MiB).
pub const BODY_LIMIT: usize = 64 * 1024;

macro_rules! op {
    ($path:literal, $access:ident, $function:ident, $handler:path) => {
        op!($path, $access, $function, $handler, BODY_LIMIT)
    };
    ($path:literal, $access:ident, $function:ident, $handler:path, $limit:expr) => {
        Operation {
            path: $path,
            access: Access::$access,
            function: Function::$function,
            body_limit: $limit,
            handler: |roster, call| Box::pin(async move { $handler(&roster, call).await }),
        }
    };
}

pub static OPERATIONS: &[Operation] = &[
    op!("user/find", Member, Read, user::read::find),
    op!("user/get", SelfOrAdmin, Read, user::read::get),
    op!("user/info", Member, Read, user::read::info),
    op!("user/login", Public, Public, user::session::login),
    op!("user/refresh", Public, Public, user::session::refresh),
    op!("user/logout", Member, Write, user::session::logout),
    op!("user/update", SelfOrAdmin, Write, user::admin::update),
    op!("user/updateRole", Admin, Write, user::admin::update_role),
    op!("user/remove", Admin, Write, user::admin::remove),
    op!("user/invite", Admin, Write, user::admin::invite),
    op!(
        "user/resendInvite",
        Admin,
        Write,
        user::admin::resend_invite
    ),
    op!("user/signupInfo", Public, Public, user::signup::signup_info),
    op!("user/signup", Public, Public, user::signup::signup),
    op!(
        "user/changePassword",
        SelfOnly,
        Write,
        user::password::change_password
    ),
    op!("user/mfaSecret", SelfOnly, Write, user::mfa::mfa_secret),
    op!("user/setMfa", SelfOnly, Write, user::mfa::set_mfa),
    op!(
        "user/regenerateRecoveryCodes",
        SelfOnly,
        Write,
        user::mfa::regenerate_recovery_codes
    ),
    op!("user/resetMfa", Admin, Write, user::mfa::reset_mfa),
    op!(
        "user/forgotPassword",
        Public,
        Public,
        user::password::forgot_password
    ),
    op!(
        "user/resetPassword",
        Public,
        Public,
        user::password::reset_password
    ),
    op!("account/get", Member, Read, account::get),
    op!("account/update", Admin, Write, account::update),
    op!("account/usage", Member, Read, account::usage),
    op!("account/audit", Admin, Read, account::audit_log),
    op!("group/create", Admin, Write, group::create),
    op!("group/get", Member, Read, group::get),
    op!("group/update", Admin, Write, group::update),
    op!("group/remove", Admin, Write, group::remove),
    op!("group/find", Member, Read, group::find),
    op!("group/assign", Admin, Write, group::assign),
    op!("group/unassign", Admin, Write, group::unassign),
    op!("group/members", Member, Read, group::members),
    op!("group/ofUser", Member, Read, group::of_user),
    op!(
        "group/import",
        Admin,
        Write,
        group::import,
        group::IMPORT_BODY_LIMIT
    ),
];
