//! `/scim/v2/Groups`: roster's groups as SCIM Group resources.
//!
//! | SCIM | roster |
//! |---|---|
//! | `id` | the group's id |
//! | `displayName` (unique, case-insensitive) | the name |
//! | `members` (`value`: a user id, with its `$ref` and `type`) | its memberships |
//! | `externalId` (case-exact) | stored as given |
//! | `meta.version` | `W/"<version>"`, bumped by every change to the group or its members |
//!
//! Member changes are the native
//! `group/assign` and `group/unassign`: one transaction per batch, so a
//! PATCH that adds and removes is applied in steps, each audited.

use std::collections::{BTreeSet, HashMap};

use axum::http::StatusCode;
use roster_core::domain::{GroupId, UserId};
use roster_core::groups::{GroupChange, NewGroup};
use roster_core::repo::groups::Group;
use roster_core::scim::{Members, MAX_MEMBERS};
use roster_core::Roster;
use serde_json::{json, Value};

use super::filter::{self, get_ci};
use super::list::{ListQuery, Shape};
use super::patch::{self, PatchRequest};
use super::{etag, parse_etag, ScimCall, ScimError, ScimReply};

pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const MULTI: &[&str] = &["members"];

/// A member as the resource lists it: its id.
type Member = UserId;

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
            "version": etag(group.version),
        },
    });
    if let Some(x) = &group.external_id {
        r["externalId"] = json!(x);
    }
    if let Some(members) = members {
        r["members"] = members
            .iter()
            .map(|uid| {
                json!({
                    "value": uid.to_string(),
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

/// What a Group resource states.
struct Wanted {
    name: String,
    external_id: Option<String>,
    members: BTreeSet<UserId>,
}

fn wanted(body: &Value) -> Result<Wanted, ScimError> {
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
            if items.len() > MAX_MEMBERS {
                return Err(ScimError::bad(
                    "tooMany",
                    format!("at most {MAX_MEMBERS} members at once"),
                ));
            }
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
    let external_id = match get_ci(body, "externalId") {
        None | Some(Value::Null) => None,
        Some(Value::String(x)) => Some(roster_core::scim::external_id(x)?),
        Some(_) => {
            return Err(ScimError::bad(
                "invalidValue",
                "externalId must be a string",
            ))
        }
    };
    Ok(Wanted {
        name,
        external_id,
        members,
    })
}

async fn members_of(
    roster: &Roster,
    call: &ScimCall,
    gid: GroupId,
) -> Result<(Group, Vec<Member>), ScimError> {
    let (group, joined) = roster.assignments_of_group(&call.caller, gid).await?;
    let members = joined.into_iter().map(|(_, u)| u.id).collect();
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
    Ok(ScimReply::resource(status, body, group.version))
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
    let want = wanted(&body)?;
    let mut new = NewGroup::parse(&want.name, None, None)?;
    new.external_id = want.external_id;
    roster
        .provisioned_members(&call.caller, &want.members)
        .await?;
    let group = roster
        .provision_group(&call.caller, new, &want.members)
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
    let resources = resources(roster, call, &query).await?;
    Ok(ScimReply::list(query.answer(resources)))
}

/// The groups, as resources in name order (filtered, paged and shaped by
/// [`ListQuery::answer`]).
pub async fn resources(
    roster: &Roster,
    call: &ScimCall,
    query: &ListQuery,
) -> Result<Vec<Value>, ScimError> {
    let groups = roster
        .all_groups(&call.caller)
        .await
        .map_err(super::list::too_many)?;
    // Members are read (one Query of the account's memberships) only when
    // the answer or the filter needs them.
    let filter_needs = query
        .filter
        .as_ref()
        .is_some_and(|f| filter::mentions(f, "members"));
    let with_members = !query.shape.omits("members") || filter_needs;
    let mut members: HashMap<GroupId, Vec<Member>> = HashMap::new();
    if with_members && !groups.is_empty() {
        let all = roster
            .all_memberships(&call.caller)
            .await
            .map_err(super::list::too_many)?;
        for (m, _) in all {
            members.entry(m.group_id).or_default().push(m.user_id);
        }
    }
    let none = Vec::new();
    let resources: Vec<Value> = groups
        .iter()
        .map(|g| {
            let mine = members.get(&g.id).unwrap_or(&none);
            resource(&call.base, g, with_members.then_some(mine.as_slice()))
        })
        .collect();
    Ok(resources)
}

/// What `doc` (a Group resource) says beyond its members, as a change of
/// `group`.
fn change_of(want: &Wanted, group: &Group) -> Result<GroupChange, ScimError> {
    let rename = (want.name.trim() != group.name).then_some(want.name.as_str());
    let mut change = GroupChange::parse(rename, None, None)?;
    change.external_id = (want.external_id != group.external_id).then(|| want.external_id.clone());
    Ok(change)
}

pub async fn replace(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let gid = group_id(&call)?;
    let want = wanted(&body_json(&call)?)?;
    let version = parse_etag(call.if_match.as_deref())?;
    let group = roster.get_group(&call.caller, gid).await?;
    let change = change_of(&want, &group)?;
    roster
        .reprovision_group(
            &call.caller,
            gid,
            change,
            Members::Exactly(&want.members),
            version,
        )
        .await
        .map_err(name_conflict)?;
    answer(roster, &call, gid, StatusCode::OK).await
}

pub async fn patch(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let gid = group_id(&call)?;
    let raw = body_json(&call)?;
    let request: PatchRequest = serde_json::from_value(raw)
        .map_err(|e| ScimError::bad("invalidSyntax", format!("not a PatchOp: {e}")))?;
    let version = parse_etag(call.if_match.as_deref())?;
    let (group, members) = members_of(roster, &call, gid).await?;
    if version.is_some_and(|v| v != group.version) {
        return Err(roster_core::Error::Stale("the group changed since that version").into());
    }
    let had: BTreeSet<UserId> = members.iter().copied().collect();
    let mut doc = resource(&call.base, &group, Some(&members));
    patch::apply(&mut doc, request, MULTI, MAX_MEMBERS)
        .map_err(|e| ScimError::bad(e.scim_type, e.detail))?;
    let want = wanted(&doc)?;
    // Only who the PATCH adds or removes changes: members others changed
    // since this read stay as they made them.
    let add: BTreeSet<UserId> = want.members.difference(&had).copied().collect();
    let remove: BTreeSet<UserId> = had.difference(&want.members).copied().collect();
    let change = change_of(&want, &group)?;
    let members = Members::Change {
        add: &add,
        remove: &remove,
    };
    roster
        .reprovision_group(&call.caller, gid, change, members, version)
        .await
        .map_err(name_conflict)?;
    // Entra expects 204 from a group PATCH; the RFC allows either.
    Ok(ScimReply::no_content())
}

pub async fn delete(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let gid = group_id(&call)?;
    let group = roster.get_group(&call.caller, gid).await?;
    if parse_etag(call.if_match.as_deref())?.is_some_and(|v| v != group.version) {
        return Err(roster_core::Error::Stale("the group changed since that version").into());
    }
    roster.remove_group(&call.caller, gid).await?;
    Ok(ScimReply::no_content())
}
