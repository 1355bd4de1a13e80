//! The JSON shapes of DESIGN §4, serialised straight from the records (no
//! intermediate `Value`: a page of users is most of a request's work).
//! Never a password, a secret or a token hash.

use axum::http::StatusCode;
use roster_core::clock::rfc3339;
use std::collections::HashMap;

use roster_core::domain::{AccountId, GroupId, Role, UserId, UserState};
use roster_core::paging::Page;
use roster_core::plans::SeatKind;
use roster_core::repo::accounts::Usage;
use roster_core::repo::audit::Entry;
use roster_core::repo::groups::Group;
use roster_core::repo::{Account, User};
use roster_core::users::Tokens;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{schema, ApiError};

mod scim_tokens;
pub use scim_tokens::{scim_token, ScimTokenList, ScimTokenMade};

/// A serialised JSON answer and its status (200 unless said otherwise).
pub struct Reply {
    pub status: StatusCode,
    pub body: axum::body::Bytes,
}

impl Reply {
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Reply, ApiError> {
        serde_json::to_vec(value)
            .map(|v| Reply {
                status: StatusCode::OK,
                body: v.into(),
            })
            .map_err(|e| roster_core::Error::internal("serialising a reply", e).into())
    }

    /// `{}`.
    pub fn empty() -> Result<Reply, ApiError> {
        Ok(Reply {
            status: StatusCode::OK,
            body: axum::body::Bytes::from_static(b"{}"),
        })
    }

    /// `202 {}`: taken, and what follows happens by mail.
    pub fn accepted() -> Result<Reply, ApiError> {
        Ok(Reply {
            status: StatusCode::ACCEPTED,
            body: axum::body::Bytes::from_static(b"{}"),
        })
    }
}

/// A group a user belongs to.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "GroupRef")]
pub struct GroupRef<'a> {
    #[schemars(with = "schema::Id")]
    pub id: &'a str,
    pub name: &'a str,
}

/// A user (DESIGN §4): never a password, a secret or a token hash.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "User")]
pub struct UserView<'a> {
    #[schemars(with = "schema::Id")]
    id: UserId,
    #[schemars(with = "schema::Id")]
    account_id: AccountId,
    #[schemars(with = "schema::Email")]
    email: &'a str,
    first: &'a str,
    last: &'a str,
    #[schemars(with = "schema::Role")]
    role: Role,
    #[schemars(with = "schema::State")]
    state: UserState,
    /// Whether the user logs in with a second factor.
    mfa: bool,
    #[schemars(with = "schema::Preferences")]
    preferences: &'a Map<String, Value>,
    /// The last login; null before the first.
    #[schemars(with = "Option<schema::Time>")]
    activity: Option<String>,
    #[schemars(with = "schema::Time")]
    created: String,
    #[schemars(with = "schema::Time")]
    updated: String,
    /// With `details`: the user's groups, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<GroupRef<'a>>>,
    /// Only from `invite`, `resendInvite` and `updateRole {sendInvite}`:
    /// the one time a token is shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<schema::Link>")]
    invite_url: Option<&'a str>,
}

pub fn user(u: &User) -> UserView<'_> {
    UserView {
        id: u.id,
        account_id: u.account_id,
        email: u.email.as_str(),
        first: &u.first,
        last: &u.last,
        role: u.role,
        state: u.state,
        mfa: u.mfa,
        preferences: &u.preferences,
        activity: u.activity.map(rfc3339),
        created: rfc3339(u.created),
        updated: rfc3339(u.updated),
        groups: None,
        invite_url: None,
    }
}

/// A user with its groups, for `details`, named from `names` (one Query of
/// the account's group names). An id without a name is a group being
/// removed: it is left out.
pub fn user_with_groups<'a>(u: &'a User, names: &'a HashMap<String, String>) -> UserView<'a> {
    let mut v = user(u);
    let mut groups: Vec<GroupRef> = u
        .groups
        .iter()
        .filter_map(|id| {
            names.get(id).map(|name| GroupRef {
                id: id.as_str(),
                name: name.as_str(),
            })
        })
        .collect();
    groups.sort_by_cached_key(|g| g.name.to_lowercase());
    v.groups = Some(groups);
    v
}

/// A user plus the link of its new invite.
pub fn invited<'a>(u: &'a User, url: &'a str) -> UserView<'a> {
    let mut v = user(u);
    v.invite_url = Some(url);
    v
}

/// `user/info`: the user plus its account's name and plan, and how many
/// recovery codes the caller has left.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "Info")]
pub struct InfoView<'a> {
    #[serde(flatten)]
    pub user: UserView<'a>,
    pub account_name: &'a str,
    pub owner: bool,
    pub plan: &'a str,
    pub recovery_codes_left: usize,
}

/// One counter of a plan: its limit, how much is used and what remains
/// (below zero after a plan was lowered under what is in use).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Counter")]
pub struct CounterView {
    limit: i64,
    used: i64,
    remaining: i64,
}

impl From<Usage> for CounterView {
    fn from(u: Usage) -> Self {
        CounterView {
            limit: u.limit,
            used: u.used,
            remaining: u.remaining,
        }
    }
}

/// Seats per kind: `admin` holds admins and the owner.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Seats")]
pub struct SeatsView {
    admin: CounterView,
    user: CounterView,
    viewer: CounterView,
}

/// `account/usage`: the plan, each counter's limit, use and what remains.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Usage")]
pub struct UsageView<'a> {
    /// `free`, `team`, `business`, or `custom`.
    plan: &'a str,
    seats: SeatsView,
    groups: CounterView,
    /// The plan's features, as the plan names them.
    #[schemars(with = "schema::Object")]
    features: &'a Map<String, Value>,
}

pub fn usage(a: &Account) -> UsageView<'_> {
    UsageView {
        plan: &a.plan,
        seats: SeatsView {
            admin: a.seats(SeatKind::Admin).into(),
            user: a.seats(SeatKind::User).into(),
            viewer: a.seats(SeatKind::Viewer).into(),
        },
        groups: a.groups().into(),
        features: &a.limits.features,
    }
}

/// An account: its name and times, and its usage.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Account")]
pub struct AccountView<'a> {
    #[schemars(with = "schema::Id")]
    id: AccountId,
    name: &'a str,
    #[serde(flatten)]
    usage: UsageView<'a>,
    /// Whether a user an identity provider creates through SCIM gets the
    /// invite mail; off, it joins on its first hosted-UI login.
    #[serde(rename = "scimInviteMail")]
    scim_invite_mail: bool,
    #[schemars(with = "schema::Time")]
    created: String,
    #[schemars(with = "schema::Time")]
    updated: String,
}

pub fn account(a: &Account) -> AccountView<'_> {
    AccountView {
        id: a.id,
        name: &a.name,
        usage: usage(a),
        scim_invite_mail: a.scim_invite_mail,
        created: rfc3339(a.created),
        updated: rfc3339(a.updated),
    }
}

/// A group.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Group")]
pub struct GroupView<'a> {
    #[schemars(with = "schema::Id")]
    id: GroupId,
    name: &'a str,
    description: &'a str,
    active: bool,
    /// How many users are in it.
    members: i64,
    #[schemars(with = "schema::Time")]
    created: String,
    #[schemars(with = "schema::Time")]
    updated: String,
}

pub fn group(g: &Group) -> GroupView<'_> {
    GroupView {
        id: g.id,
        name: &g.name,
        description: &g.description,
        active: g.active,
        members: g.members,
        created: rfc3339(g.created),
        updated: rfc3339(g.updated),
    }
}

/// Who acted: a user; `operator` (with no e-mail) for a deployment's
/// operator invoking the write function directly; or a SCIM token (its id,
/// with no e-mail) for an identity provider provisioning the account.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Actor")]
pub struct ActorView<'a> {
    id: &'a str,
    email: &'a str,
}

/// What an action was done to.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Target")]
pub struct TargetView<'a> {
    /// `user`, `group`, `account` or `scimToken`.
    kind: &'a str,
    id: &'a str,
    /// The user's e-mail, the group's, the account's or the token's name at
    /// the time.
    label: &'a str,
}

/// An audit entry: `{id, at, actor, action, target, detail}`.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "AuditEntry")]
pub struct AuditView<'a> {
    #[schemars(with = "schema::Id")]
    id: &'a str,
    #[schemars(with = "schema::Time")]
    at: String,
    actor: ActorView<'a>,
    /// The operation, e.g. `user/invite`.
    action: &'a str,
    target: TargetView<'a>,
    #[schemars(with = "schema::Object")]
    detail: &'a Map<String, Value>,
}

pub fn audit(e: &Entry) -> AuditView<'_> {
    AuditView {
        id: &e.id,
        at: rfc3339(e.at),
        actor: ActorView {
            id: &e.actor_id,
            email: &e.actor_email,
        },
        action: &e.action,
        target: TargetView {
            kind: &e.target.kind,
            id: &e.target.id,
            label: &e.target.label,
        },
        detail: &e.detail,
    }
}

/// A new session: an access token (sent as `Authorization: Bearer`), the
/// refresh token that renews it once, and who is signed in.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "Tokens")]
pub struct TokensView<'a> {
    access_token: &'a str,
    refresh_token: &'a str,
    /// Seconds the access token lives.
    expires_in: i64,
    user: UserView<'a>,
    account: AccountView<'a>,
}

pub fn tokens(t: &Tokens) -> TokensView<'_> {
    TokensView {
        access_token: &t.access_token,
        refresh_token: &t.refresh_token,
        expires_in: t.expires_in,
        user: user(&t.user),
        account: account(&t.account),
    }
}

/// `{user, account}`, as `user/signup` answers.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SignedUp")]
pub struct Membership<'a> {
    pub user: UserView<'a>,
    pub account: AccountView<'a>,
}

/// A page: its items, and opaque cursors to the pages after and before it
/// (absent at the ends), to pass back as `?next=` or `?prev=`.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "{T}Page")]
pub struct PageView<T> {
    data: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev: Option<String>,
}

pub fn page<'a, T, V>(p: &'a Page<T>, shape: impl Fn(&'a T) -> V) -> PageView<V> {
    PageView {
        data: p.data.iter().map(shape).collect(),
        next: p.next.clone(),
        prev: p.prev.clone(),
    }
}

/// `{}`: done, and nothing more to say.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Done", deny_unknown_fields)]
pub struct Nothing {}

/// `user/login` with a password, for a user with MFA on: the next step is
/// `user/login {session, code}` with this `session`.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MfaChallenge")]
pub struct Challenge<'a> {
    #[schemars(schema_with = "mfa")]
    pub challenge: &'static str,
    pub session: &'a str,
}

/// `"MFA"`, the one challenge there is.
fn mfa(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "const": "MFA"})
}

/// What `user/login` answers with 200: a session, or the MFA step.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "LoginResult")]
#[allow(clippy::large_enum_variant)] // made to be serialised once, on the stack
pub enum LoginAnswer<'a> {
    Tokens(TokensView<'a>),
    Challenge(Challenge<'a>),
}
