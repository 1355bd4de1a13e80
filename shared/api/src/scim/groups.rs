//! `/scim/v2/Groups`: roster's groups as SCIM Group resources.
//!
//! | SCIM | roster |
//! |---|---|
//! | `id` | the group's id |
//! | `displayName` (unique, case-insensitive) | the name |
//! | `members` (`value`: a user id; `display`: its e-mail) | its memberships |
//! | `meta.version` | `W/"<last change, ms>"` |
//!
//! A group's `externalId` is accepted and not kept (roster groups have
//! none; `/Schemas` does not list it). Member changes are the native
//! `group/assign` and `group/unassign`: one transaction per batch, so a
//! PATCH that adds and removes is applied in steps, each audited.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use roster_core::domain::{GroupId, UserId};
use roster_core::groups::{GroupChange, NewGroup};
use roster_core::repo::groups::Group;
use roster_core::Roster;
use serde_json::{json, Value};

use super::filter::get_ci;
use super::list::{ListQuery, Shape};
use super::patch::{self, PatchRequest};
use super::{etag, parse_etag, ScimCall, ScimError, ScimReply};

pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const MULTI: &[&str] = &["members"];

/// A member as the resource lists it: its id and e-mail.
type Member = (UserId, String);

fn group_id(call: &ScimCall) -> Result<GroupId, ScimError> {
    let raw = call.id.as_deref().unwrap_or_default();
    GroupId::parse(raw).map_err(|_| ScimError::not_found(format!("no group {raw}")))
}

pub fn resource(base: &str, group: &Group, members: Option<&[Member]>) -> Value {
    let mut r = json!({
        "schemas": [GROUP_SCHEMA],
        "id": group.id.to_string(),
        "displayName": group.name,
        "meta": {
            "resourceType": "Group",
            "created": roster_core::clock::rfc3339(group.created),
            "lastModified": roster_core::clock::rfc3339(group.updated),
            "location": format!("{base}/Groups/{}", group.id),
            "version": etag(group.updated),
        },
    });
    if let Some(members) = members {
        r["members"] = members
            .iter()
            .map(|(uid, email)| {
                json!({
                    "value": uid.to_string(),
                    "display": email,
                    "type": "User",
                    "$ref": format!("{base}/Users/{uid}"),
                })
            })
            .collect();
    }
    r
}

fn body_json(call: &ScimCall) -> Result<Value, ScimError> {
    serde_json::from_slice(&call.body)
        .map_err(|e| ScimError::bad("invalidSyntax", format!("the body is not valid JSON: {e}")))
}

/// The name and members a Group resource states.
fn wanted(body: &Value) -> Result<(String, BTreeSet<UserId>), ScimError> {
    if !body.is_object() {
        return Err(ScimError::bad("invalidSyntax", "a Group is a JSON object"));
    }
    let name = match get_ci(body, "displayName") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return Err(ScimError::bad("invalidValue", "displayName is required")),
    };
    let mut members = BTreeSet::new();
    match get_ci(body, "members") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let raw = get_ci(item, "value")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        ScimError::bad("invalidValue", "members[].value must be a user id")
                    })?;
                let uid = UserId::parse(raw).map_err(|_| {
                    ScimError::bad("invalidValue", format!("members: `{raw}` is not a user id"))
                })?;
                members.insert(uid);
            }
        }
        Some(_) => return Err(ScimError::bad("invalidValue", "members must be a list")),
    }
    Ok((name, members))
}

async fn members_of(
    roster: &Roster,
    call: &ScimCall,
    gid: GroupId,
) -> Result<(Group, Vec<Member>), ScimError> {
    let (group, joined) = roster.assignments_of_group(&call.caller, gid).await?;
    let members = joined
        .into_iter()
        .map(|(_, u)| (u.id, u.email.as_str().to_string()))
        .collect();
    Ok((group, members))
}

async fn answer(
    roster: &Roster,
    call: &ScimCall,
    gid: GroupId,
    status: StatusCode,
) -> Result<ScimReply, ScimError> {
    let shape = Shape::of(&call.query)?;
    let (group, members) = if shape.omits("members") {
        (roster.get_group(&call.caller, gid).await?, None)
    } else {
        let (g, m) = members_of(roster, call, gid).await?;
        (g, Some(m))
    };
    let body = shape.apply(resource(&call.base, &group, members.as_deref()));
    Ok(ScimReply::resource(status, body, group.updated))
}

fn name_conflict(e: roster_core::Error) -> ScimError {
    let mut s = ScimError::from(e);
    if s.status == StatusCode::CONFLICT && s.detail.contains("name") {
        s.scim_type = Some("uniqueness");
        s.detail = "a group with this displayName already exists".into();
    }
    s
}

pub async fn create(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let body = body_json(&call)?;
    let (name, members) = wanted(&body)?;
    let new = NewGroup::parse(&name, None, None)?;
    roster.provisioned_members(&call.caller, &members).await?;
    let group = roster
        .provision_group(&call.caller, new, &members)
        .await
        .map_err(name_conflict)?;
    answer(roster, &call, group.id, StatusCode::CREATED).await
}

pub async fn get(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let gid = group_id(&call)?;
    answer(roster, &call, gid, StatusCode::OK).await
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
    let groups = roster.all_groups(&call.caller).await?;
    // Members are read (one Query of the account's memberships) only when
    // the answer or the filter needs them.
    let filter_needs = query
        .filter
        .as_ref()
        .is_some_and(|f| format!("{f:?}").to_ascii_lowercase().contains("members"));
    let with_members = !query.shape.omits("members") || filter_needs;
    let memberships = if with_members && !groups.is_empty() {
        roster.all_memberships(&call.caller).await?
    } else {
        Vec::new()
    };
    let resources = groups
        .iter()
        .map(|g| {
            let members: Vec<Member> = memberships
                .iter()
                .filter(|(m, _)| m.group_id == g.id)
                .map(|(m, email)| (m.user_id, email.clone()))
                .collect();
            resource(&call.base, g, with_members.then_some(members.as_slice()))
        })
        .collect();
    Ok(ScimReply::list(query.answer(resources)))
}

fn check_version(call: &ScimCall, group: &Group) -> Result<(), ScimError> {
    match parse_etag(call.if_match.as_deref())? {
        Some(v) if v != group.updated => {
            Err(roster_core::Error::Stale("the group changed since that version").into())
        }
        _ => Ok(()),
    }
}

/// Writes what `doc` (the group's resource, changed) states over `group`.
async fn write(
    roster: &Roster,
    call: &ScimCall,
    group: &Group,
    had: &BTreeSet<UserId>,
    doc: &Value,
) -> Result<(), ScimError> {
    let (name, members) = wanted(doc)?;
    roster.provisioned_members(&call.caller, &members).await?;
    let rename = (name.trim() != group.name).then_some(name);
    let change = GroupChange::parse(rename.as_deref(), None, None)?;
    roster
        .reprovision_group(&call.caller, group.id, change, had, &members)
        .await
        .map_err(name_conflict)?;
    Ok(())
}

pub async fn replace(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let gid = group_id(&call)?;
    let body = body_json(&call)?;
    let (group, members) = members_of(roster, &call, gid).await?;
    check_version(&call, &group)?;
    let had: BTreeSet<UserId> = members.iter().map(|(u, _)| *u).collect();
    write(roster, &call, &group, &had, &body).await?;
    answer(roster, &call, gid, StatusCode::OK).await
}

pub async fn patch(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let gid = group_id(&call)?;
    let raw = body_json(&call)?;
    let request: PatchRequest = serde_json::from_value(raw)
        .map_err(|e| ScimError::bad("invalidSyntax", format!("not a PatchOp: {e}")))?;
    let (group, members) = members_of(roster, &call, gid).await?;
    check_version(&call, &group)?;
    let had: BTreeSet<UserId> = members.iter().map(|(u, _)| *u).collect();
    let mut doc = resource(&call.base, &group, Some(&members));
    patch::apply(&mut doc, request, MULTI).map_err(|e| ScimError::bad(e.scim_type, e.detail))?;
    write(roster, &call, &group, &had, &doc).await?;
    // Entra expects 204 from a group PATCH; the RFC allows either.
    Ok(ScimReply::no_content())
}

pub async fn delete(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let gid = group_id(&call)?;
    let group = roster.get_group(&call.caller, gid).await?;
    check_version(&call, &group)?;
    roster.remove_group(&call.caller, gid).await?;
    Ok(ScimReply::no_content())
}
