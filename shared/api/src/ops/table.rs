//! The operation table (DESIGN §4): one row per operation. Each row names
//! its path, who may call it, its function, its paging, the handler, the
//! body type the handler parses and the view types it answers with, the
//! error codes it answers beyond the common ones, the rules it holds that
//! no schema states, and a summary.

use super::{account, group, op, user, Access, Answer, Code, Function, Operation, Query};
use crate::views::{
    self, AccountView, AuditView, GroupView, InfoView, LoginAnswer, Membership, Nothing, PageView,
    TokensView, UsageView, UserView,
};

pub static OPERATIONS: &[Operation] = &[
    op!(
        "user/find", Member, Read, Page,
        user::read::find, user::read::FindBody => [200: PageView<UserView<'static>>],
        errors: [Invalid],
        beyond: [],
        "Finds the account's users: by e-mail, id, role, state or a prefix of e-mail or name; a page, with `details` each user's groups"
    ),
    op!(
        "user/get", SelfOrAdmin, Read, None,
        user::read::get, user::read::GetBody => [200: UserView<'static>],
        errors: [Invalid, Forbidden, NotFound],
        beyond: [],
        "Reads one user by `id` or `email`: oneself, or anyone for an admin"
    ),
    op!(
        "user/info", Member, Read, None,
        user::read::info, user::read::Empty => [200: InfoView<'static>],
        errors: [],
        beyond: [],
        "The caller, with its account's name, plan and recovery codes left"
    ),
    op!(
        "user/login", Public, Public, None,
        user::session::login, user::session::LoginBody => [200: LoginAnswer<'static>, 202: Nothing],
        errors: [Invalid, TokenInvalid, TokenExpired, Unauthenticated, Forbidden, NotFound, Conflict, RateLimited],
        beyond: [
            "an invite's link must be current and unused (`TOKEN_INVALID`, `TOKEN_EXPIRED`)",
            "a new password must not be a common one, nor the e-mail (`INVALID`)"
        ],
        "Logs in (`{email, password}`; `{session, code}` after an MFA challenge), signs up from an invite and logs in, or registers an account (202: the link is mailed)"
    ),
    op!(
        "user/refresh", Public, Public, None,
        user::session::refresh, user::session::RefreshBody => [200: TokensView<'static>],
        errors: [Unauthenticated, NotFound],
        beyond: [],
        "Trades a refresh token for new tokens; the old refresh token is spent"
    ),
    op!(
        "user/logout", Member, Write, None,
        user::session::logout, user::session::LogoutBody => [200: Nothing],
        errors: [NotFound],
        beyond: [],
        "Ends this session, or with `all` every session of the caller"
    ),
    op!(
        "user/update", SelfOrAdmin, Write, None,
        user::admin::update, user::admin::UpdateBody => [200: UserView<'static>],
        errors: [Invalid, Forbidden, NotFound, Conflict],
        beyond: [
            "`preferences` must fit in 8 KiB, nest at most 32 levels and hold numbers a table can store (`INVALID`)",
            "`state` can't move to or from `pending` (`INVALID`)"
        ],
        "Changes a user's names, preferences, state (admins) or a pending user's e-mail"
    ),
    op!(
        "user/updateRole", Admin, Write, None,
        user::admin::update_role, user::admin::UpdateRoleBody => [200: UserView<'static>],
        errors: [Invalid, Forbidden, NotFound, Conflict, LimitReached],
        beyond: [],
        "Changes another user's role, within the plan's seats and never above the admin's own"
    ),
    op!(
        "user/remove", Admin, Write, None,
        user::admin::remove, user::admin::UserRefBody => [200: Nothing],
        errors: [Invalid, Forbidden, NotFound, Conflict],
        beyond: [],
        "Removes a user: frees its seat and e-mail, leaves its groups, ends its sessions"
    ),
    op!(
        "user/invite", Admin, Write, None,
        user::admin::invite, user::admin::InviteBody => [200: UserView<'static>],
        errors: [Invalid, Forbidden, Conflict, LimitReached],
        beyond: [],
        "Invites a person by e-mail: a pending user, a mailed link, and the link in the answer"
    ),
    op!(
        "user/resendInvite", Admin, Write, None,
        user::admin::resend_invite, user::admin::UserRefBody => [200: UserView<'static>],
        errors: [Invalid, Forbidden, NotFound, Conflict],
        beyond: [],
        "Mails a pending user a new link; the old one stops working"
    ),
    op!(
        "user/signupInfo", Public, Public, None,
        user::signup::signup_info, user::signup::InfoBody => [200: user::signup::InfoView<'static>],
        errors: [TokenInvalid, TokenExpired],
        beyond: ["the link must be current and unused (`TOKEN_INVALID`, `TOKEN_EXPIRED`)"],
        "What a mailed link is for (e-mail, role, account, expiry), without spending it"
    ),
    op!(
        "user/signup", Public, Public, None,
        user::signup::signup, user::signup::SignupBody => [200: Membership<'static>],
        errors: [Invalid, TokenInvalid, TokenExpired, Forbidden, Conflict],
        beyond: [
            "the link must be current and unused (`TOKEN_INVALID`, `TOKEN_EXPIRED`)",
            "the password must not be a common one, nor the e-mail (`INVALID`)"
        ],
        "Signs up from a mailed link, spending it"
    ),
    op!(
        "user/changePassword", SelfOnly, Write, None,
        user::password::change_password, user::password::ChangeBody => [200: Nothing],
        errors: [Invalid, Forbidden, NotFound, Conflict, RateLimited],
        beyond: [
            "`currentPassword` must be the caller's password (`INVALID`)",
            "the new password must not be a common one, nor the e-mail (`INVALID`)"
        ],
        "Changes the caller's password, given the current one"
    ),
    op!(
        "user/mfaSecret", SelfOnly, Write, None,
        user::mfa::mfa_secret, user::read::Empty => [200: user::mfa::SecretView<'static>],
        errors: [Forbidden, Conflict],
        beyond: [],
        "A new TOTP secret, its otpauth URI and QR code; nothing changes until setMfa"
    ),
    op!(
        "user/setMfa", SelfOnly, Write, None,
        user::mfa::set_mfa, user::mfa::SetMfaBody => [200: user::mfa::SetMfaAnswer],
        errors: [Invalid, Forbidden, Conflict, RateLimited],
        beyond: ["the code must be the authenticator's current one (`INVALID`)"],
        "Turns MFA on (answering the recovery codes) or off, with a current code"
    ),
    op!(
        "user/regenerateRecoveryCodes", SelfOnly, Write, None,
        user::mfa::regenerate_recovery_codes, user::mfa::CodeBody => [200: user::mfa::RecoveryView],
        errors: [Invalid, Forbidden, Conflict, RateLimited],
        beyond: ["the code must be the authenticator's current one (`INVALID`)"],
        "New recovery codes for a TOTP code; the old ones stop working"
    ),
    op!(
        "user/resetMfa", Admin, Write, None,
        user::mfa::reset_mfa, user::mfa::ResetMfaBody => [200: UserView<'static>],
        errors: [Invalid, Forbidden, NotFound, Conflict],
        beyond: [],
        "Turns another user's MFA off and signs them out"
    ),
    op!(
        "user/forgotPassword", Public, Public, None,
        user::password::forgot_password, user::password::ForgotBody => [200: Nothing],
        errors: [],
        beyond: [],
        "Mails a reset link; the same answer for every address"
    ),
    op!(
        "user/resetPassword", Public, Public, None,
        user::password::reset_password, user::password::ResetBody => [200: Nothing],
        errors: [Invalid, TokenInvalid, TokenExpired, NotFound],
        beyond: [
            "the link must be current and unused (`TOKEN_INVALID`, `TOKEN_EXPIRED`)",
            "the password must not be a common one, nor the e-mail (`INVALID`)"
        ],
        "Sets a new password from a reset link; every session ends"
    ),
    op!(
        "account/get", Member, Read, None,
        account::get, user::read::Empty => [200: AccountView<'static>],
        errors: [],
        beyond: [],
        "The caller's account, with its plan's usage"
    ),
    op!(
        "account/update", Admin, Write, None,
        account::update, account::UpdateBody => [200: AccountView<'static>],
        errors: [Invalid, Forbidden, Conflict],
        beyond: [],
        "Renames the account (admins) or changes its plan (the owner)"
    ),
    op!(
        "account/usage", Member, Read, None,
        account::usage, user::read::Empty => [200: UsageView<'static>],
        errors: [],
        beyond: [],
        "The plan, and each seat kind's and groups' limit, use and what remains"
    ),
    op!(
        "account/audit", Admin, Read, OrderedPage,
        account::audit_log, account::AuditBody => [200: PageView<AuditView<'static>>],
        errors: [Invalid, Forbidden],
        beyond: [],
        "The audit log, newest first"
    ),
    op!(
        "account/scimTokenCreate", Admin, Write, None,
        account::scim_tokens::create, account::scim_tokens::CreateBody => [200: views::ScimTokenMade<'static>],
        errors: [Invalid, Forbidden, Conflict],
        beyond: ["an account holds at most 10 SCIM tokens (`CONFLICT`)"],
        "Makes a SCIM token for the account's identity provider; its secret is shown this once"
    ),
    op!(
        "account/scimTokens", Admin, Read, None,
        account::scim_tokens::list, user::read::Empty => [200: views::ScimTokenList<'static>],
        errors: [Forbidden],
        beyond: [],
        "The account's SCIM tokens, oldest first, without their secrets"
    ),
    op!(
        "account/scimTokenRevoke", Admin, Write, None,
        account::scim_tokens::revoke, account::scim_tokens::RevokeBody => [200: Nothing],
        errors: [Invalid, Forbidden, NotFound],
        beyond: [],
        "Revokes a SCIM token: the next request that presents it is refused"
    ),
    op!(
        "group/create", Admin, Write, None,
        group::create, group::CreateBody => [200: GroupView<'static>],
        errors: [Invalid, Forbidden, Conflict, LimitReached],
        beyond: [],
        "Creates a group, within the plan's groups"
    ),
    op!(
        "group/get", Member, Read, None,
        group::get, group::IdBody => [200: GroupView<'static>],
        errors: [Invalid, NotFound],
        beyond: [],
        "Reads a group"
    ),
    op!(
        "group/update", Admin, Write, None,
        group::update, group::UpdateBody => [200: GroupView<'static>],
        errors: [Invalid, Forbidden, NotFound, Conflict],
        beyond: [],
        "Changes a group's name, description or active flag"
    ),
    op!(
        "group/remove", Admin, Write, None,
        group::remove, group::IdBody => [200: Nothing],
        errors: [Invalid, Forbidden, NotFound, Conflict],
        beyond: [],
        "Removes a group and its memberships"
    ),
    op!(
        "group/find", Member, Read, OrderedPage,
        group::find, group::FindBody => [200: PageView<GroupView<'static>>],
        errors: [Invalid],
        beyond: [],
        "The account's groups by name, or by a case-insensitive name prefix"
    ),
    op!(
        "group/assign", Admin, Write, None,
        group::assign, group::AssignBody => [200: group::AssignedView],
        errors: [Invalid, Forbidden, NotFound, Conflict],
        beyond: [],
        "Puts users in groups; pairs that exist are skipped"
    ),
    op!(
        "group/unassign", Admin, Write, None,
        group::unassign, group::UnassignBody => [200: Nothing],
        errors: [Invalid, Forbidden, NotFound],
        beyond: [],
        "Takes a user out of a group"
    ),
    op!(
        "group/members", Member, Read, OrderedPage,
        group::members, group::MembersBody => [200: PageView<UserView<'static>>],
        errors: [Invalid, NotFound],
        beyond: [],
        "A group's members, a page of users"
    ),
    op!(
        "group/ofUser", Member, Read, OrderedPage,
        group::of_user, group::OfUserBody => [200: PageView<GroupView<'static>>],
        errors: [Invalid, NotFound],
        beyond: [],
        "A user's groups, a page of groups"
    ),
    op!(
        "group/import", Admin, Write, None,
        group::import, group::ImportBody => [200: group::ImportView],
        errors: [Invalid, Forbidden],
        beyond: [],
        "Invites and assigns many people at once, by e-mail and group name",
        limit: group::IMPORT_BODY_LIMIT
    ),
];
