//! The JSON shapes of DESIGN §4, serialised straight from the records (no
//! intermediate `Value`: a page of users is most of a request's work).
//! Never a password, a secret or a token hash.

use axum::http::StatusCode;
use roster_core::clock::rfc3339;
use roster_core::domain::{AccountId, Role, UserId, UserState};
use roster_core::paging::Page;
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
pub struct GroupRef {
    pub id: String,
    pub name: Option<String>,
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
    groups: Option<Vec<GroupRef>>,
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

/// A user with its groups, for `details`. Groups hold ids until groups land;
/// their names will be resolved with one query of the account's groups.
pub fn user_with_groups(u: &User) -> UserView<'_> {
    let mut v = user(u);
    v.groups = Some(
        u.groups
            .iter()
            .map(|id| GroupRef {
                id: id.clone(),
                name: None,
            })
            .collect(),
    );
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
pub struct Seats {
    limit: i64,
    used: i64,
    remaining: i64,
}

#[derive(Serialize)]
pub struct AccountView<'a> {
    id: AccountId,
    name: &'a str,
    plan: &'a str,
    seats: Seats,
    created: String,
    updated: String,
}

pub fn account(a: &Account) -> AccountView<'_> {
    let limit = a.seat_limit();
    AccountView {
        id: a.id,
        name: &a.name,
        plan: &a.plan,
        seats: Seats {
            limit,
            used: limit - a.seats,
            remaining: a.seats,
        },
        created: rfc3339(a.created),
        updated: rfc3339(a.updated),
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
