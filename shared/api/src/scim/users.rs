//! `/scim/v2/Users`: roster's users as SCIM User resources.
//!
//! | SCIM | roster |
//! |---|---|
//! | `id` | the user's id |
//! | `userName` (unique, case-insensitive; kept as given) | the e-mail, when it is an address |
//! | `emails` (kept as given) | the e-mail, from the primary (or first) one, when `userName` is no address |
//! | `name.givenName` / `name.familyName` | first / last |
//! | `active` | not disabled (a pending user deactivated keeps no invite link) |
//! | `externalId` (case-exact) | stored as given |
//! | `roles` (kept as given: `admin`, `user`, `viewer`) | the role, from the primary (or first) value |
//! | `groups` (read-only) | the groups it is in |
//! | `meta.version` | `W/"<version>"`, the user's write counter |
//!
//! Values read back as they were sent (case, `type`, `primary`), and what
//! a client never set is not invented: a user whose roles it never set
//! shows `roles` only when its role is not `user`. A PUT states the user
//! whole: a missing `name` or `externalId` clears it; a missing `active`
//! leaves it; missing `roles` leave the role, unless the client had set
//! roles (then it falls back to `user`). What roster does not store
//! (`displayName`, `title`, phone numbers, the enterprise extension, a
//! password) is accepted and not kept, and `/Schemas` does not list it.

use std::collections::HashMap;

use axum::http::StatusCode;
use roster_core::domain::{Name, Role, UserId};
use roster_core::repo::groups::Group;
use roster_core::repo::{ScimEmail, ScimRole, User};
use roster_core::scim::{self as provisioning, ProvisionedUser};
use roster_core::Roster;
use serde_json::{json, Map, Value};

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

/// The `emails` shown: as given, while the e-mail they name is roster's;
/// else roster's e-mail, as the one work address.
fn emails_of(user: &User) -> Vec<Value> {
    let given = user.scim.as_ref().filter(|p| {
        let want = ProvisionedUser {
            user_name: p.user_name.clone(),
            emails: p.emails.clone(),
            roles: None,
            first: Name::default(),
            last: Name::default(),
            external_id: None,
            active: None,
        };
        want.email().ok().as_ref() == Some(&user.email)
    });
    match given {
        Some(p) => p
            .emails
            .iter()
            .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
            .collect(),
        None => vec![json!({"value": user.email.as_str(), "type": "work", "primary": true})],
    }
}

/// The `roles` shown, if any: as given, while they name roster's role;
/// else the role, when it is not the default (`user`).
fn roles_of(user: &User) -> Option<Vec<Value>> {
    if let Some(roles) = user.scim.as_ref().and_then(|p| p.roles.as_ref()) {
        let chosen = roles
            .iter()
            .find(|r| r.primary == Some(true))
            .or(roles.first());
        if chosen.is_some_and(|r| r.value.eq_ignore_ascii_case(user.role.as_str())) {
            return Some(
                roles
                    .iter()
                    .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
                    .collect(),
            );
        }
    }
    (user.role != Role::User).then(|| vec![json!({"value": user.role.as_str(), "primary": true})])
}

/// The resource of `user`, in `groups`.
pub fn resource(base: &str, user: &User, groups: &[Group]) -> Value {
    let user_name = user
        .scim
        .as_ref()
        .map_or(user.email.as_str(), |p| p.user_name.as_str());
    let mut r = json!({
        "schemas": [USER_SCHEMA],
        "id": user.id.to_string(),
        "userName": user_name,
        "emails": emails_of(user),
        "active": provisioning::is_active(user),
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
    let mut name = Map::new();
    if !user.first.is_empty() {
        name.insert("givenName".into(), json!(user.first));
    }
    if !user.last.is_empty() {
        name.insert("familyName".into(), json!(user.last));
    }
    if !name.is_empty() {
        r["name"] = Value::Object(name);
    }
    if let Some(roles) = roles_of(user) {
        r["roles"] = json!(roles);
    }
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

/// The entries of a multi-valued attribute (`null` is none).
fn entries<'a>(name: &str, v: Option<&'a Value>) -> Result<Option<&'a [Value]>, ScimError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(_) => Err(ScimError::bad(
            "invalidValue",
            format!("{name} must be a list"),
        )),
    }
}

fn primary(name: &str, item: &Value) -> Result<Option<bool>, ScimError> {
    match get_ci(item, "primary") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => boolean(&format!("{name}[].primary"), v).map(Some),
    }
}

/// A User resource as a client sends it, read into what roster keeps.
fn wanted(body: &Value) -> Result<ProvisionedUser, ScimError> {
    if !body.is_object() {
        return Err(ScimError::bad("invalidSyntax", "a User is a JSON object"));
    }
    let user_name = text("userName", get_ci(body, "userName"))?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ScimError::bad("invalidValue", "userName is required"))?
        .to_string();
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
    // Missing: as it is, decided on the read that writes (a new user: active).
    let active = match get_ci(body, "active") {
        None | Some(Value::Null) => None,
        Some(v) => Some(boolean("active", v)?),
    };
    let mut emails = Vec::new();
    for item in entries("emails", get_ci(body, "emails"))?.unwrap_or_default() {
        let value = text("emails[].value", get_ci(item, "value"))?
            .ok_or_else(|| ScimError::bad("invalidValue", "emails[].value is required"))?;
        emails.push(ScimEmail {
            value: value.to_string(),
            kind: text("emails[].type", get_ci(item, "type"))?.map(str::to_string),
            primary: primary("emails", item)?,
        });
    }
    let roles = match entries("roles", get_ci(body, "roles"))? {
        None => None,
        Some(items) => {
            let mut roles = Vec::new();
            for item in items {
                let value = match item {
                    Value::String(s) => s.as_str(),
                    _ => text("roles[].value", get_ci(item, "value"))?.ok_or_else(|| {
                        ScimError::bad("invalidValue", "roles[].value is required")
                    })?,
                };
                roles.push(ScimRole {
                    value: value.to_string(),
                    primary: primary("roles", item)?,
                });
            }
            Some(roles)
        }
    };
    let want = ProvisionedUser {
        user_name,
        emails,
        roles,
        first,
        last,
        external_id,
        active,
    };
    want.validate()?;
    Ok(want)
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
    let new = wanted(&body)?;
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
    let resources = resources(roster, call, &query).await?;
    Ok(ScimReply::list(query.answer(resources)))
}

/// The users `query` may list, as resources in creation order (filtered,
/// paged and shaped by [`ListQuery::answer`]).
pub async fn resources(
    roster: &Roster,
    call: &ScimCall,
    query: &ListQuery,
) -> Result<Vec<Value>, ScimError> {
    let caller = &call.caller;
    // What identity providers ask most (`userName eq`, `id eq`) is read by
    // key; anything else filters the account's users, in creation order.
    let by_key = query.filter.as_ref().and_then(|f| {
        filter::equality(f, "username")
            .map(|v| (true, v))
            .or_else(|| filter::equality(f, "id").map(|v| (false, v)))
    });
    let users: Vec<User> = match by_key {
        Some((true, name)) => roster
            .provisioned_user_by_name(caller, name)
            .await?
            .into_iter()
            .collect(),
        Some((false, id)) => match UserId::parse(id) {
            Ok(uid) => match roster.provisioned_user(caller, uid).await {
                Ok(u) => vec![u],
                Err(roster_core::Error::NotFound(_)) => Vec::new(),
                Err(e) => return Err(e.into()),
            },
            Err(_) => Vec::new(),
        },
        None => roster
            .all_users(caller)
            .await
            .map_err(super::list::too_many)?,
    };
    // A user or a few (a lookup): their groups by key; more: all of them.
    let groups = if query.shape.omits("groups") || users.iter().all(|u| u.groups.is_empty()) {
        Vec::new()
    } else if users.len() <= 10 {
        let mut mine = Vec::new();
        for u in &users {
            mine.extend(roster.provisioned_groups_of(caller, u).await?);
        }
        mine
    } else {
        roster.all_groups(caller).await?
    };
    let by_id: HashMap<String, &Group> = groups.iter().map(|g| (g.id.to_string(), g)).collect();
    let resources: Vec<Value> = users
        .iter()
        .map(|u| {
            let mine: Vec<Group> = u
                .groups
                .iter()
                .filter_map(|gid| by_id.get(gid).map(|g| (*g).clone()))
                .collect();
            resource(&call.base, u, &mine)
        })
        .collect();
    Ok(resources)
}

pub async fn replace(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let uid = user_id(&call)?;
    let body = body_json(&call)?;
    let want = wanted(&body)?;
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
        patch::apply(&mut doc, request, MULTI, roster_core::scim::MAX_MEMBERS)
            .map_err(|e| ScimError::bad(e.scim_type, e.detail))?;
        let mut want = wanted(&doc)?;
        // Roles the resource only showed (the client never set any) stay unset.
        if current.scim.as_ref().is_none_or(|p| p.roles.is_none())
            && roles_of(&current).map(Value::Array) == get_ci(&doc, "roles").cloned()
        {
            want.roles = None;
        }
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
    let version = parse_etag(call.if_match.as_deref())?;
    roster
        .remove_user_at(&call.caller, roster_core::users::UserRef::Id(uid), version)
        .await?;
    Ok(ScimReply::no_content())
}
