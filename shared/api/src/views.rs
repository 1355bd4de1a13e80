//! The JSON shapes of DESIGN §4. Never a password, a secret or a token hash.

use roster_core::clock::rfc3339;
use roster_core::paging::Page;
use roster_core::repo::{Account, User};
use roster_core::users::Tokens;
use serde_json::{json, Value};

pub fn user(u: &User) -> Value {
    json!({
        "id": u.id.to_string(),
        "accountId": u.account_id.to_string(),
        "email": u.email.as_str(),
        "first": u.first,
        "last": u.last,
        "role": u.role.as_str(),
        "state": u.state.as_str(),
        "mfa": u.mfa,
        "preferences": u.preferences,
        "activity": u.activity.map(rfc3339),
        "created": rfc3339(u.created),
        "updated": rfc3339(u.updated),
    })
}

/// A user with its groups, for `details`. Groups hold ids until groups land;
/// their names will be resolved with one query of the account's groups.
pub fn user_with_groups(u: &User) -> Value {
    let mut v = user(u);
    v["groups"] = u
        .groups
        .iter()
        .map(|id| json!({"id": id, "name": null}))
        .collect();
    v
}

/// A user plus the link of its new invite.
pub fn invited(u: &User, url: &str) -> Value {
    let mut v = user(u);
    v["inviteUrl"] = url.into();
    v
}

pub fn account(a: &Account) -> Value {
    let limit = a.seat_limit();
    json!({
        "id": a.id.to_string(),
        "name": a.name,
        "plan": a.plan,
        "seats": {"limit": limit, "used": limit - a.seats, "remaining": a.seats},
        "created": rfc3339(a.created),
        "updated": rfc3339(a.updated),
    })
}

pub fn tokens(t: &Tokens) -> Value {
    json!({
        "accessToken": t.access_token,
        "refreshToken": t.refresh_token,
        "expiresIn": t.expires_in,
        "user": user(&t.user),
        "account": account(&t.account),
    })
}

pub fn page(p: Page<Value>) -> Value {
    let mut v = json!({ "data": p.data });
    if let Some(next) = p.next {
        v["next"] = next.into();
    }
    if let Some(prev) = p.prev {
        v["prev"] = prev.into();
    }
    v
}

pub fn empty() -> Value {
    json!({})
}
