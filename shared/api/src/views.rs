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
use roster_core::repo::audit::{Entry, Target};
use roster_core::repo::groups::Group;
use roster_core::repo::{Account, User};
use roster_core::users::Tokens;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::ApiError;

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

#[derive(Serialize)]
pub struct GroupRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserView<'a> {
    id: UserId,
    account_id: AccountId,
    email: &'a str,
    first: &'a str,
    last: &'a str,
    role: Role,
    state: UserState,
    mfa: bool,
    preferences: &'a Map<String, Value>,
    activity: Option<String>,
    created: String,
    updated: String,
    /// With `details`.
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<GroupRef<'a>>>,
    /// Only from `invite` and `resendInvite`: the one time a token is shown.
    #[serde(skip_serializing_if = "Option::is_none")]
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
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InfoView<'a> {
    #[serde(flatten)]
    pub user: UserView<'a>,
    pub account_name: &'a str,
    pub owner: bool,
    pub plan: &'a str,
    pub recovery_codes_left: usize,
}

#[derive(Serialize)]
pub struct SeatsView {
    admin: Usage,
    user: Usage,
    viewer: Usage,
}

/// `account/usage`: the plan, each counter's limit, use and what remains.
#[derive(Serialize)]
pub struct UsageView<'a> {
    plan: &'a str,
    seats: SeatsView,
    groups: Usage,
    features: &'a Map<String, Value>,
}

pub fn usage(a: &Account) -> UsageView<'_> {
    UsageView {
        plan: &a.plan,
        seats: SeatsView {
            admin: a.seats(SeatKind::Admin),
            user: a.seats(SeatKind::User),
            viewer: a.seats(SeatKind::Viewer),
        },
        groups: a.groups(),
        features: &a.limits.features,
    }
}

/// An account: its name and times, and its usage.
#[derive(Serialize)]
pub struct AccountView<'a> {
    id: AccountId,
    name: &'a str,
    #[serde(flatten)]
    usage: UsageView<'a>,
    created: String,
    updated: String,
}

pub fn account(a: &Account) -> AccountView<'_> {
    AccountView {
        id: a.id,
        name: &a.name,
        usage: usage(a),
        created: rfc3339(a.created),
        updated: rfc3339(a.updated),
    }
}

#[derive(Serialize)]
pub struct GroupView<'a> {
    id: GroupId,
    name: &'a str,
    description: &'a str,
    active: bool,
    members: i64,
    created: String,
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

#[derive(Serialize)]
pub struct ActorView<'a> {
    id: &'a str,
    email: &'a str,
}

/// An audit entry: `{id, at, actor, action, target, detail}`.
#[derive(Serialize)]
pub struct AuditView<'a> {
    id: &'a str,
    at: String,
    actor: ActorView<'a>,
    action: &'a str,
    target: &'a Target,
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
        target: &e.target,
        detail: &e.detail,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokensView<'a> {
    access_token: &'a str,
    refresh_token: &'a str,
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
#[derive(Serialize)]
pub struct Membership<'a> {
    pub user: UserView<'a>,
    pub account: AccountView<'a>,
}

#[derive(Serialize)]
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
