//! What a SCIM client reads before it provisions (RFC 7643 §5–7):
//! `ServiceProviderConfig`, `ResourceTypes` and `Schemas`, the last listing
//! only the attributes roster stores, with their real mutability (`emails`
//! and `groups` on a user are read-only: the e-mail is `userName`).

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
            "primary": true,
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

fn user_schema() -> Value {
    let mut user_name = attr("userName", "string", "readWrite", "The user's e-mail address: unique in the account, case-insensitive; fixed once the user has signed up");
    user_name["required"] = json!(true);
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
    let mut emails = attr(
        "emails",
        "complex",
        "readOnly",
        "The e-mail, as userName: one, of type work, primary",
    );
    emails["multiValued"] = json!(true);
    emails["subAttributes"] = json!([
        attr("value", "string", "readOnly", "The address"),
        attr("type", "string", "readOnly", "work"),
        attr("primary", "boolean", "readOnly", "true"),
    ]);
    let active = attr("active", "boolean", "readWrite", "false disables the user and ends its sessions; a pending user keeps no invite link while inactive");
    let mut roles = attr(
        "roles",
        "complex",
        "readWrite",
        "The user's role: one value, admin, user or viewer (owner is shown, never granted)",
    );
    roles["multiValued"] = json!(true);
    let mut role_value = attr("value", "string", "readWrite", "admin, user or viewer");
    role_value["canonicalValues"] = json!(["admin", "user", "viewer"]);
    roles["subAttributes"] = json!([
        role_value,
        attr("primary", "boolean", "readWrite", "The role roster uses")
    ]);
    let mut groups = attr(
        "groups",
        "complex",
        "readOnly",
        "The groups the user is in (change them on the group)",
    );
    groups["multiValued"] = json!(true);
    groups["subAttributes"] = json!([
        attr("value", "string", "readOnly", "The group's id"),
        attr("display", "string", "readOnly", "The group's name"),
        attr("$ref", "reference", "readOnly", "The group's URI"),
    ]);
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
    let mut display = attr(
        "displayName",
        "string",
        "readWrite",
        "The group's name: 1 to 100 characters, unique in the account, case-insensitive",
    );
    display["required"] = json!(true);
    display["uniqueness"] = json!("server");
    let mut members = attr("members", "complex", "readWrite", "The users in the group");
    members["multiValued"] = json!(true);
    let mut value = attr("value", "string", "immutable", "The user's id");
    value["caseExact"] = json!(true);
    members["subAttributes"] = json!([
        value,
        attr("display", "string", "readOnly", "The user's e-mail"),
        attr("type", "string", "readOnly", "User"),
        attr("$ref", "reference", "readOnly", "The user's URI"),
    ]);
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

pub async fn root_search(_: &Roster, _: ScimCall) -> Result<ScimReply, ScimError> {
    Err(ScimError::not_implemented(
        "searching every resource type at once is not supported; POST /Users/.search or /Groups/.search",
    ))
}

pub async fn bulk(_: &Roster, _: ScimCall) -> Result<ScimReply, ScimError> {
    Err(ScimError::not_implemented(
        "bulk operations are not supported",
    ))
}
