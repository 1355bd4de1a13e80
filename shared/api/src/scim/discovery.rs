//! What a SCIM client reads before it provisions (RFC 7643 §5–7):
//! `ServiceProviderConfig`, `ResourceTypes` and `Schemas`, the last listing
//! only the attributes roster stores, with their real mutability (a user's
//! `groups` are read-only: membership is changed on the group).

use serde_json::{json, Value};

use super::groups::GROUP_SCHEMA;
use super::users::USER_SCHEMA;
use super::{list, ScimCall, ScimError, ScimReply};
use roster_core::Roster;

const SPC_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RT_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

pub async fn service_provider_config(_: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    Ok(ScimReply::json(json!({
        "schemas": [SPC_SCHEMA],
        "documentationUri": format!("{}/docs", call.base.trim_end_matches("/scim/v2")),
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": list::MAX_COUNT},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "SCIM token",
            "description": "A token from account/scimTokenCreate, sent as Authorization: Bearer",
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{}/ServiceProviderConfig", call.base),
        },
    })))
}

fn resource_type_of(base: &str, id: &str) -> Option<Value> {
    let (endpoint, schema, description) = match id {
        "User" => ("/Users", USER_SCHEMA, "A user of the account"),
        "Group" => ("/Groups", GROUP_SCHEMA, "A group of the account's users"),
        _ => return None,
    };
    Some(json!({
        "schemas": [RT_SCHEMA],
        "id": id,
        "name": id,
        "endpoint": endpoint,
        "description": description,
        "schema": schema,
        "schemaExtensions": [],
        "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/{id}")},
    }))
}

pub async fn resource_types(_: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let all: Vec<Value> = ["User", "Group"]
        .iter()
        .filter_map(|id| resource_type_of(&call.base, id))
        .collect();
    Ok(ScimReply::json(listing(all)))
}

pub async fn resource_type(_: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let id = call.id.as_deref().unwrap_or_default();
    resource_type_of(&call.base, id)
        .map(ScimReply::json)
        .ok_or_else(|| ScimError::not_found(format!("no resource type {id}")))
}

/// One attribute's definition.
fn attr(name: &str, kind: &str, mutability: &str, description: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "description": description,
        "required": false,
        "caseExact": false,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": "none",
    })
}

fn multi(mut a: Value, subs: Vec<Value>) -> Value {
    a["multiValued"] = json!(true);
    a["subAttributes"] = json!(subs);
    a
}

fn required(mut a: Value) -> Value {
    a["required"] = json!(true);
    a
}

fn user_schema() -> Value {
    let mut user_name = required(attr(
        "userName",
        "string",
        "readWrite",
        "Unique in the account, case-insensitively; kept as given. An e-mail address here is the user's e-mail (fixed once the user has signed up).",
    ));
    user_name["uniqueness"] = json!("server");
    let mut name = attr("name", "complex", "readWrite", "The user's names");
    name["subAttributes"] = json!([
        attr(
            "givenName",
            "string",
            "readWrite",
            "First name, at most 100 characters"
        ),
        attr(
            "familyName",
            "string",
            "readWrite",
            "Last name, at most 100 characters"
        ),
    ]);
    let mut kind = attr("type", "string", "readWrite", "work, home or other");
    kind["canonicalValues"] = json!(["work", "home", "other"]);
    let emails = required(multi(
        attr(
            "emails",
            "complex",
            "readWrite",
            "Kept as given; when userName is no address, the primary (or first) one is the user's e-mail",
        ),
        vec![
            required(attr("value", "string", "readWrite", "An e-mail address")),
            kind,
            attr("primary", "boolean", "readWrite", "The user's e-mail, when userName is no address"),
        ],
    ));
    let active = required(attr(
        "active",
        "boolean",
        "readWrite",
        "false disables the user and ends its sessions; a pending user keeps no invite link while inactive",
    ));
    let mut role = attr("value", "string", "readWrite", "admin, user or viewer");
    role["canonicalValues"] = json!(["admin", "user", "viewer"]);
    let roles = multi(
        attr(
            "roles",
            "complex",
            "readWrite",
            "The user's role: the primary (or first) value; owner is shown, never granted. Removed: user.",
        ),
        vec![role, attr("primary", "boolean", "readWrite", "The role roster uses")],
    );
    let mut group_ref = attr("$ref", "reference", "readOnly", "The group's URI");
    group_ref["referenceTypes"] = json!(["Group"]);
    let groups = multi(
        attr(
            "groups",
            "complex",
            "readOnly",
            "The groups the user is in (change them on the group)",
        ),
        vec![
            attr("value", "string", "readOnly", "The group's id"),
            attr("display", "string", "readOnly", "The group's name"),
            group_ref,
        ],
    );
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A user of the account",
        "attributes": [user_name, name, emails, active, roles, groups],
        "meta": {"resourceType": "Schema"},
    })
}

fn group_schema() -> Value {
    let mut display = required(attr(
        "displayName",
        "string",
        "readWrite",
        "The group's name: 1 to 100 characters, unique in the account, case-insensitively",
    ));
    display["uniqueness"] = json!("server");
    let mut value = attr("value", "string", "immutable", "The user's id");
    value["caseExact"] = json!(true);
    let mut member_ref = attr("$ref", "reference", "immutable", "The user's URI");
    member_ref["referenceTypes"] = json!(["User"]);
    let mut kind = attr("type", "string", "immutable", "User");
    kind["canonicalValues"] = json!(["User"]);
    let members = multi(
        attr("members", "complex", "readWrite", "The users in the group"),
        vec![value, member_ref, kind],
    );
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": GROUP_SCHEMA,
        "name": "Group",
        "description": "A group of the account's users",
        "attributes": [display, members],
        "meta": {"resourceType": "Schema"},
    })
}

fn schema_of(base: &str, id: &str) -> Option<Value> {
    let mut s = match id {
        USER_SCHEMA => user_schema(),
        GROUP_SCHEMA => group_schema(),
        _ => return None,
    };
    s["meta"]["location"] = json!(format!("{base}/Schemas/{id}"));
    Some(s)
}

pub async fn schemas(_: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let all: Vec<Value> = [USER_SCHEMA, GROUP_SCHEMA]
        .iter()
        .filter_map(|id| schema_of(&call.base, id))
        .collect();
    Ok(ScimReply::json(listing(all)))
}

pub async fn schema(_: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let id = call.id.as_deref().unwrap_or_default();
    schema_of(&call.base, id)
        .map(ScimReply::json)
        .ok_or_else(|| ScimError::not_found(format!("no schema {id}")))
}

fn listing(all: Vec<Value>) -> Value {
    json!({
        "schemas": [list::LIST_SCHEMA],
        "totalResults": all.len(),
        "startIndex": 1,
        "itemsPerPage": all.len(),
        "Resources": all,
    })
}

/// `POST /.search`: users, then groups, as one list.
pub async fn root_search(roster: &Roster, call: ScimCall) -> Result<ScimReply, ScimError> {
    let query = list::ListQuery::of_search(&call.body)?;
    let mut all = super::users::resources(roster, &call, &query).await?;
    all.extend(super::groups::resources(roster, &call, &query).await?);
    Ok(ScimReply::list(query.answer(all)))
}
