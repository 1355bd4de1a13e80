//! `/scim/v2/Users`: roster's users as SCIM User resources.
//!
//! | SCIM | roster |
//! |---|---|
//! | `id` | the user's id |
//! | `userName` (case-insensitive) | the e-mail |
//! | `name.givenName` / `name.familyName` | first / last |
//! | `emails` (read-only: one, `work`, primary) | the e-mail again |
//! | `active` | not disabled (a pending user deactivated keeps no invite link) |
//! | `externalId` (case-exact) | stored as given |
//! | `roles` (one value: `admin`, `user`, `viewer`; `owner` shown, never granted) | the role |
//! | `groups` (read-only) | the groups it is in |
//! | `meta.version` | `W/"<version>"`, the user's write counter |
//!
//! A PUT states the user whole: a missing `name` or `externalId` clears it;
//! a missing `active` or `roles` leaves it as it is (an identity provider
//! that omits them means no change, not "deactivate" or "demote"). What
//! roster does not store (`displayName`, `title`, phone numbers, the
//! enterprise extension, a password) is accepted and not kept, and
//! `/Schemas` does not list it.

use axum::http::StatusCode;
use roster_core::domain::{Email, Name, Role, UserId};
use roster_core::repo::groups::Group;
use roster_core::repo::User;
use roster_core::scim::{self as provisioning, ProvisionedUser};
use roster_core::Roster;
use serde_json::{json, Value};

use super::filter::{self, get_ci};
use super::list::ListQuery;
use super::patch::{self, PatchRequest};
use super::{etag, parse_etag, ScimCall, ScimError, ScimReply};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Multi-valued attributes, which a PATCH `add` appends to.
const MULTI: &[&str] = &["emails", "roles", "groups"];
/// Times a PATCH is applied again when the user changed meanwhile.
const PATCH_ROUNDS: usize = 5;

fn user_id(call: &ScimCall) -> Result<UserId, ScimError> {
    let raw = call.id.as_deref().unwrap_or_default();
    UserId::parse(raw).map_err(|_| ScimError::not_found(format!("no user {raw}")))
}

/// The resource of `user`, in `groups`.
pub fn resource(base: &str, user: &User, groups: &[Group]) -> Value {
    let mut r = json!({
        "schemas": [USER_SCHEMA],
        "id": user.id.to_string(),
        "userName": user.email.as_str(),
        "name": {"givenName": user.first, "familyName": user.last},
        "emails": [{"value": user.email.as_str(), "type": "work", "primary": true}],
        "active": provisioning::is_active(user),
        "roles": [{"value": user.role.as_str(), "primary": true}],
        "groups": groups.iter().map(|g| json!({
            "value": g.id.to_string(),
            "display": g.name,
            "$ref": format!("{base}/Groups/{}", g.id),
        })).collect::<Vec<_>>(),
        "meta": {
            "resourceType": "User",
            "created": roster_core::clock::rfc3339(user.created),
            "lastModified": roster_core::clock::rfc3339(user.updated),
            "location": format!("{base}/Users/{}", user.id),
            "version": etag(user.version),
        },
    });
    if let Some(x) = &user.external_id {
        r["externalId"] = json!(x);
    }
    r
}

/// A boolean as identity providers send it: `true`, or `"True"`.
pub fn boolean(name: &str, v: &Value) -> Result<bool, ScimError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(ScimError::bad(
            "invalidValue",
            format!("{name} must be true or false"),
        )),
    }
}

fn text<'a>(name: &str, v: Option<&'a Value>) -> Result<Option<&'a str>, ScimError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ScimError::bad(
            "invalidValue",
            format!("{name} must be a string"),
        )),
    }
}

/// A User resource as a client sends it, read into what roster keeps.
/// `current` is the user a PUT or PATCH replaces.
fn wanted(body: &Value, current: Option<&User>) -> Result<ProvisionedUser, ScimError> {
    if !body.is_object() {
        return Err(ScimError::bad("invalidSyntax", "a User is a JSON object"));
    }
    let user_name = text("userName", get_ci(body, "userName"))?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ScimError::bad("invalidValue", "userName is required"))?;
    let email = Email::parse(user_name).map_err(|e| {
        ScimError::bad(
            "invalidValue",
            format!("userName must be an e-mail address: {e}"),
        )
    })?;
    let name = get_ci(body, "name");
    let name_part = |key: &str, field: &'static str| -> Result<Name, ScimError> {
        let raw = match name {
            None | Some(Value::Null) => None,
            Some(n @ Value::Object(_)) => text(&format!("name.{key}"), get_ci(n, key))?,
            Some(_) => return Err(ScimError::bad("invalidValue", "name must be an object")),
        };
        Name::parse(field, raw.unwrap_or(""))
            .map_err(|e| ScimError::bad("invalidValue", format!("name.{key}: {e}")))
    };
    let first = name_part("givenName", "first")?;
    let last = name_part("familyName", "last")?;
    let external_id = text("externalId", get_ci(body, "externalId"))?
        .map(provisioning::external_id)
        .transpose()?;
    let active = match get_ci(body, "active") {
        None | Some(Value::Null) => current.is_none_or(provisioning::is_active),
        Some(v) => boolean("active", v)?,
    };
    let role = match get_ci(body, "roles") {
        None | Some(Value::Null) => None,
        Some(Value::Array(roles)) if roles.is_empty() => None,
        Some(Value::Array(roles)) => {
            let chosen = roles
                .iter()
                .find(|r| {
                    get_ci(r, "primary").is_some_and(|p| boolean("primary", p).unwrap_or(false))
                })
                .or(roles.first());
            let value = chosen
                .and_then(|r| get_ci(r, "value").or(Some(r)))
                .and_then(Value::as_str)
                .ok_or_else(|| ScimError::bad("invalidValue", "roles[].value must be a string"))?;
            Some(Role::parse(&value.to_ascii_lowercase()).map_err(|_| {
                ScimError::bad(
                    "invalidValue",
                    "roles[].value must be admin, user or viewer",
                )
            })?)
        }
        Some(_) => return Err(ScimError::bad("invalidValue", "roles must be a list")),
    };
    Ok(ProvisionedUser {
        email,
        first,
        last,
        role,
        external_id,
        active,
    })
}

fn body_json(call: &ScimCall) -> Result<Value, ScimError> {
    serde_json::from_slice(&call.body)
        .map_err(|e| ScimError::bad("invalidSyntax", format!("the body is not valid JSON: {e}")))
}

async fn answer(
    roster: &Roster,
    call: &ScimCall,
    user: &User,
    status: StatusCode,
) -> Result<ScimReply, ScimError> {
    let groups = roster.provisioned_groups_of(&call.caller, user).await?;
    let shape = super::list::Shape::of(&call.query)?;
    Ok(ScimReply::resource(
        status,
        shape.apply(resource(&call.base, user, &groups)),
        user.version,
    ))
}

pub async fn create(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let body = body_json(&call)?;
    let new = wanted(&body, None)?;
    let user = roster
        .provision_user(&call.caller, new)
        .await
        .map_err(uniqueness)?;
    answer(roster, &call, &user, StatusCode::CREATED).await
}

/// A second user of one e-mail is SCIM's `uniqueness` conflict.
fn uniqueness(e: roster_core::Error) -> ScimError {
    let mut s = ScimError::from(e);
    if s.status == StatusCode::CONFLICT && s.detail.contains("email") {
        s.scim_type = Some("uniqueness");
        s.detail = "a user with this userName already exists".into();
    }
    s
}

pub async fn get(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let uid = user_id(&call)?;
    let user = roster.provisioned_user(&call.caller, uid).await?;
    answer(roster, &call, &user, StatusCode::OK).await
}

pub async fn list(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let query = ListQuery::of(&call.query)?;
    search(roster, &call, query).await
}

pub async fn dot_search(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let query = ListQuery::of_search(&call.body)?;
    search(roster, &call, query).await
}

async fn search(
    roster: &Roster,
    call: &ScimCall,
    query: ListQuery,
) -> Result<ScimReply, ScimError> {
    let caller = &call.caller;
    // What identity providers ask most (`userName eq`, `id eq`) is read by
    // key; anything else filters the account's users, in creation order.
    let by_key = query.filter.as_ref().and_then(|f| {
        filter::equality(f, "username")
            .map(|v| (true, v))
            .or_else(|| filter::equality(f, "id").map(|v| (false, v)))
    });
    let users: Vec<User> = match by_key {
        Some((true, name)) => match Email::parse(name) {
            Ok(email) => roster
                .provisioned_user_by_email(caller, &email)
                .await?
                .into_iter()
                .collect(),
            Err(_) => Vec::new(),
        },
        Some((false, id)) => match UserId::parse(id) {
            Ok(uid) => match roster.provisioned_user(caller, uid).await {
                Ok(u) => vec![u],
                Err(roster_core::Error::NotFound(_)) => Vec::new(),
                Err(e) => return Err(e.into()),
            },
            Err(_) => Vec::new(),
        },
        None => roster.all_users(caller).await?,
    };
    let groups = if query.shape.omits("groups") || users.is_empty() {
        Vec::new()
    } else {
        roster.all_groups(caller).await?
    };
    let resources = users
        .iter()
        .map(|u| {
            let mine: Vec<Group> = groups
                .iter()
                .filter(|g| u.groups.contains(&g.id.to_string()))
                .cloned()
                .collect();
            resource(&call.base, u, &mine)
        })
        .collect();
    Ok(ScimReply::list(query.answer(resources)))
}

pub async fn replace(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let uid = user_id(&call)?;
    let body = body_json(&call)?;
    let current = roster.provisioned_user(&call.caller, uid).await?;
    let want = wanted(&body, Some(&current))?;
    let version = parse_etag(call.if_match.as_deref())?;
    let user = roster
        .reprovision_user(&call.caller, uid, want, version)
        .await
        .map_err(uniqueness)?;
    answer(roster, &call, &user, StatusCode::OK).await
}

pub async fn patch(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let uid = user_id(&call)?;
    let if_match = parse_etag(call.if_match.as_deref())?;
    let raw: Value = body_json(&call)?;
    for _ in 0..PATCH_ROUNDS {
        let current = roster.provisioned_user(&call.caller, uid).await?;
        if if_match.is_some_and(|v| v != current.version) {
            return Err(roster_core::Error::Stale("the user changed since that version").into());
        }
        let groups = roster.provisioned_groups_of(&call.caller, &current).await?;
        let mut doc = resource(&call.base, &current, &groups);
        let request: PatchRequest = serde_json::from_value(raw.clone())
            .map_err(|e| ScimError::bad("invalidSyntax", format!("not a PatchOp: {e}")))?;
        patch::apply(&mut doc, request, MULTI)
            .map_err(|e| ScimError::bad(e.scim_type, e.detail))?;
        let want = wanted(&doc, Some(&current))?;
        // Written over the version read: a change that landed in between
        // sends the PATCH round again, applied to what it left.
        match roster
            .reprovision_user(&call.caller, uid, want, Some(current.version))
            .await
        {
            Ok(user) => return answer(roster, &call, &user, StatusCode::OK).await,
            Err(roster_core::Error::Stale(_)) if if_match.is_none() => continue,
            Err(roster_core::Error::Conflict { field: None, .. }) if if_match.is_none() => continue,
            Err(e) => return Err(uniqueness(e)),
        }
    }
    Err(roster_core::Error::Unavailable("the user kept changing; try again".into()).into())
}

pub async fn delete(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let uid = user_id(&call)?;
    if let Some(version) = parse_etag(call.if_match.as_deref())? {
        let current = roster.provisioned_user(&call.caller, uid).await?;
        if current.version != version {
            return Err(roster_core::Error::Stale("the user changed since that version").into());
        }
    }
    roster
        .remove_user(&call.caller, roster_core::users::UserRef::Id(uid))
        .await?;
    Ok(ScimReply::no_content())
}
