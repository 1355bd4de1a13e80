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
pub type SchemaFn = fn(&mut schemars::SchemaGenerator) -> schemars::Schema;

pub struct Operation {
    /// `resource/action`; served at `POST /<path>`.
    pub path: &'static str,
    pub access: Access,
    pub function: Function,
    /// Largest request body accepted.
    pub body_limit: usize,
    /// One line for the OpenAPI document.
    pub summary: &'static str,
    /// The JSON Schema of the request body, from the type the handler parses.
    pub request: SchemaFn,
    pub handler: Handler,
}

/// Request bodies up to 64 KiB, unless an operation says otherwise
/// (`group/import`: 1 MiB).
pub const BODY_LIMIT: usize = 64 * 1024;

macro_rules! op {
    ($path:literal, $access:ident, $function:ident, $handler:path, $body:ty, $summary:literal) => {
        op!($path, $access, $function, $handler, $body, $summary, BODY_LIMIT)
    };
    ($path:literal, $access:ident, $function:ident, $handler:path, $body:ty, $summary:literal, $limit:expr) => {
        Operation {
            path: $path,
            access: Access::$access,
            function: Function::$function,
            body_limit: $limit,
            summary: $summary,
            request: |generator| generator.subschema_for::<$body>(),
            handler: |roster, call| Box::pin(async move { $handler(&roster, call).await }),
        }
    };
}

pub static OPERATIONS: &[Operation] = &[
    op!(
        "user/find",
        Member,
        Read,
        user::read::find,
        user::read::FindBody,
        "Finds the account's users: by e-mail, id, role, state or a prefix of e-mail or name; a page, with `details` each user's groups"
    ),
    op!(
        "user/get",
        SelfOrAdmin,
        Read,
        user::read::get,
        user::read::GetBody,
        "Reads one user by `id` or `email`: oneself, or anyone for an admin"
    ),
    op!(
        "user/info",
        Member,
        Read,
        user::read::info,
        user::read::Empty,
        "The caller, with its account's name, plan and recovery codes left"
    ),
    op!(
        "user/login",
        Public,
        Public,
        user::session::login,
        user::session::LoginBody,
        "Logs in (`{email, password}`; `{session, code}` after an MFA challenge), signs up from an invite and logs in, or registers an account"
    ),
    op!(
        "user/refresh",
        Public,
        Public,
        user::session::refresh,
        user::session::RefreshBody,
        "Trades a refresh token for new tokens; the old refresh token is spent"
    ),
    op!(
        "user/logout",
        Member,
        Write,
        user::session::logout,
        user::session::LogoutBody,
        "Ends this session, or with `all` every session of the caller"
    ),
    op!(
        "user/update",
        SelfOrAdmin,
        Write,
        user::admin::update,
        user::admin::UpdateBody,
        "Changes a user's names, preferences, state (admins) or a pending user's e-mail"
    ),
    op!(
        "user/updateRole",
        Admin,
        Write,
        user::admin::update_role,
        user::admin::UpdateRoleBody,
        "Changes another user's role, within the plan's seats and never above the admin's own"
    ),
    op!(
        "user/remove",
        Admin,
        Write,
        user::admin::remove,
        user::admin::UserRefBody,
        "Removes a user: frees its seat and e-mail, leaves its groups, ends its sessions"
    ),
    op!(
        "user/invite",
        Admin,
        Write,
        user::admin::invite,
        user::admin::InviteBody,
        "Invites a person by e-mail: a pending user, a mailed link, and the link in the answer"
    ),
    op!(
        "user/resendInvite",
        Admin,
        Write,
        user::admin::resend_invite,
        user::admin::UserRefBody,
        "Mails a pending user a new link; the old one stops working"
    ),
    op!(
        "user/signupInfo",
        Public,
        Public,
        user::signup::signup_info,
        user::signup::InfoBody,
        "What a mailed link is for (e-mail, role, account, expiry), without spending it"
    ),
    op!(
        "user/signup",
        Public,
        Public,
        user::signup::signup,
        user::signup::SignupBody,
        "Signs up from a mailed link, spending it"
    ),
    op!(
        "user/changePassword",
        SelfOnly,
        Write,
        user::password::change_password,
        user::password::ChangeBody,
        "Changes the caller's password, given the current one"
    ),
    op!(
        "user/mfaSecret",
        SelfOnly,
        Write,
        user::mfa::mfa_secret,
        user::read::Empty,
        "A new TOTP secret, its otpauth URI and QR code; nothing changes until setMfa"
    ),
    op!(
        "user/setMfa",
        SelfOnly,
        Write,
        user::mfa::set_mfa,
        user::mfa::SetMfaBody,
        "Turns MFA on (answering the recovery codes) or off, with a current code"
    ),
    op!(
        "user/regenerateRecoveryCodes",
        SelfOnly,
        Write,
        user::mfa::regenerate_recovery_codes,
        user::mfa::CodeBody,
        "New recovery codes for a TOTP code; the old ones stop working"
    ),
    op!(
        "user/resetMfa",
        Admin,
        Write,
        user::mfa::reset_mfa,
        user::mfa::ResetMfaBody,
        "Turns another user's MFA off and signs them out"
    ),
    op!(
        "user/forgotPassword",
        Public,
        Public,
        user::password::forgot_password,
        user::password::ForgotBody,
        "Mails a reset link; the same answer for every address"
    ),
    op!(
        "user/resetPassword",
        Public,
        Public,
        user::password::reset_password,
        user::password::ResetBody,
        "Sets a new password from a reset link; every session ends"
    ),
    op!(
        "account/get",
        Member,
        Read,
        account::get,
        account::Empty,
        "The caller's account, with its plan's usage"
    ),
    op!(
        "account/update",
        Admin,
        Write,
        account::update,
        account::UpdateBody,
        "Renames the account (admins) or changes its plan (the owner)"
    ),
    op!(
        "account/usage",
        Member,
        Read,
        account::usage,
        account::Empty,
        "The plan, and each seat kind's and groups' limit, use and what remains"
    ),
    op!(
        "account/audit",
        Admin,
        Read,
        account::audit_log,
        account::AuditBody,
        "The audit log, newest first"
    ),
    op!(
        "group/create",
        Admin,
        Write,
        group::create,
        group::CreateBody,
        "Creates a group, within the plan's groups"
    ),
    op!(
        "group/get",
        Member,
        Read,
        group::get,
        group::IdBody,
        "Reads a group"
    ),
    op!(
        "group/update",
        Admin,
        Write,
        group::update,
        group::UpdateBody,
        "Changes a group's name, description or active flag"
    ),
    op!(
        "group/remove",
        Admin,
        Write,
        group::remove,
        group::IdBody,
        "Removes a group and its memberships"
    ),
    op!(
        "group/find",
        Member,
        Read,
        group::find,
        group::FindBody,
        "The account's groups by name, or by a case-insensitive name prefix"
    ),
    op!(
        "group/assign",
        Admin,
        Write,
        group::assign,
        group::AssignBody,
        "Puts users in groups; pairs that exist are skipped"
    ),
    op!(
        "group/unassign",
        Admin,
        Write,
        group::unassign,
        group::UnassignBody,
        "Takes a user out of a group"
    ),
    op!(
        "group/members",
        Member,
        Read,
        group::members,
        group::MembersBody,
        "A group's members, a page of users"
    ),
    op!(
        "group/ofUser",
        Member,
        Read,
        group::of_user,
        group::OfUserBody,
        "A user's groups, a page of groups"
    ),
    op!(
        "group/import",
        Admin,
        Write,
        group::import,
        group::ImportBody,
        "Invites and assigns many people at once, by e-mail and group name",
        group::IMPORT_BODY_LIMIT
    ),
];
