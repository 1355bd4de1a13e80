//! The JSON Schemas of SCIM's bodies, for the OpenAPI document. SCIM reads
//! attribute names case-insensitively (RFC 7643 §2.1), so the handlers read
//! bodies by hand; these types state the canonical spelling, and the tests
//! hold every request and answer of the suite to them (`tests/src/
//! contract.rs`): a resource that gains or loses an attribute fails there
//! until its shape here follows.
//!
//! Requests are open (identity providers send attributes roster does not
//! keep: `displayName`, `locale`, the enterprise extension…); answers are
//! closed.

#![allow(dead_code)] // schema types: never built, only described

use schemars::JsonSchema;
use serde::Serialize;

/// `true`/`false`, or the same as a string in any case (Entra sends `"False"`).
pub struct Boolish;

impl JsonSchema for Boolish {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ScimBoolean".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A boolean, or `true`/`false` as a string in any case.",
            "anyOf": [
                {"type": "boolean"},
                {"type": "string", "pattern": "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"},
            ],
        })
    }
}

/// A value type's schema, inline where it is used.
macro_rules! text_schema {
    ($(#[$doc:meta])* $name:ident, $schema:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn inline_schema() -> bool {
                true
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $schema
            }
        }
    };
}

text_schema!(
    /// Unique in the account, case-insensitively. An e-mail address here is
    /// the user's e-mail; any other name needs an address in `emails`.
    UserName,
    schemars::json_schema!({"type": "string", "minLength": 1, "maxLength": 256,
        "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$"})
);
text_schema!(
    ExternalId,
    schemars::json_schema!({"type": "string", "minLength": 1, "maxLength": 256, "pattern": "^[^\\u0000-\\u001f\\u007f]*$"})
);
text_schema!(
    Label,
    schemars::json_schema!({"type": "string", "maxLength": 254, "pattern": "^[^\\u0000-\\u001f\\u007f]*$"})
);
text_schema!(
    NamePart,
    schemars::json_schema!({"type": "string", "maxLength": 100})
);
text_schema!(
    /// Any JSON value.
    AnyValue,
    schemars::json_schema!({"description": "Any JSON value."})
);
text_schema!(
    DisplayName,
    schemars::json_schema!({"type": "string", "minLength": 1, "maxLength": 100, "pattern": "\\S"})
);

#[derive(JsonSchema)]
#[schemars(rename = "ScimName")]
#[serde(rename_all = "camelCase")]
pub struct Name {
    #[schemars(with = "Option<NamePart>")]
    given_name: Option<String>,
    #[schemars(with = "Option<NamePart>")]
    family_name: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(rename = "ScimEmailIn")]
pub struct EmailIn {
    #[schemars(with = "Label")]
    value: String,
    #[serde(rename = "type")]
    #[schemars(with = "Option<Label>")]
    kind: Option<String>,
    primary: Option<Boolish>,
}

#[derive(JsonSchema)]
#[schemars(rename = "ScimRoleIn")]
pub struct RoleIn {
    /// `admin`, `user` or `viewer`, in any case.
    #[schemars(with = "Label")]
    value: String,
    primary: Option<Boolish>,
}

/// A role as a client may send it: an object, or its value alone.
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum RoleEntry {
    Object(RoleIn),
    Value(#[schemars(with = "Label")] String),
}

/// A User as a client sends it (POST, PUT). Attributes roster doesn't keep
/// are taken and not kept.
#[derive(JsonSchema)]
#[schemars(rename = "ScimUserIn")]
#[serde(rename_all = "camelCase")]
pub struct UserIn {
    #[schemars(with = "UserName")]
    user_name: String,
    name: Option<Name>,
    emails: Option<Vec<EmailIn>>,
    /// Missing: as it is (a new user: active).
    active: Option<Boolish>,
    roles: Option<Vec<RoleEntry>>,
    #[schemars(with = "Option<ExternalId>")]
    external_id: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(rename = "ScimMemberIn")]
pub struct MemberIn {
    /// A user's id.
    value: String,
}

/// A Group as a client sends it (POST, PUT).
#[derive(JsonSchema)]
#[schemars(rename = "ScimGroupIn")]
#[serde(rename_all = "camelCase")]
pub struct GroupIn {
    #[schemars(with = "DisplayName")]
    display_name: String,
    #[schemars(length(max = 5000))]
    members: Option<Vec<MemberIn>>,
    #[schemars(with = "Option<ExternalId>")]
    external_id: Option<String>,
}

fn patch_schemas(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "array",
        "items": {"type": "string"},
        "contains": {"const": super::patch::PATCH_SCHEMA},
    })
}

fn search_schemas(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "array",
        "items": {"type": "string"},
        "contains": {"const": super::list::SEARCH_SCHEMA},
    })
}

fn op_name(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "description": "add, remove or replace, in any case",
        "pattern": "^([Aa][Dd][Dd]|[Rr][Ee][Mm][Oo][Vv][Ee]|[Rr][Ee][Pp][Ll][Aa][Cc][Ee])$",
    })
}

#[derive(JsonSchema)]
#[schemars(rename = "ScimPatchOperation")]
pub struct PatchOperation {
    #[schemars(schema_with = "op_name")]
    op: String,
    /// An attribute path, `attr[filter]` or `attr[filter].sub`; none: the
    /// value's keys are the paths (add, replace).
    path: Option<String>,
    #[schemars(with = "Option<AnyValue>")]
    value: Option<serde_json::Value>,
}

/// RFC 7644 §3.5.2.
#[derive(JsonSchema)]
#[schemars(rename = "ScimPatchOp")]
pub struct PatchOp {
    #[schemars(schema_with = "patch_schemas")]
    schemas: Vec<String>,
    #[serde(rename = "Operations")]
    #[schemars(length(min = 1, max = 1000))]
    operations: Vec<PatchOperation>,
}

/// RFC 7644 §3.4.3. No sorting (`sortBy` is refused).
#[derive(JsonSchema)]
#[schemars(rename = "ScimSearchRequest")]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    #[schemars(schema_with = "search_schemas")]
    schemas: Vec<String>,
    filter: Option<String>,
    start_index: Option<i32>,
    count: Option<i32>,
    attributes: Option<Vec<String>>,
    excluded_attributes: Option<Vec<String>>,
}

// Answers.

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimMeta")]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_type: Option<String>,
    #[schemars(with = "crate::schema::Time")]
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[schemars(with = "crate::schema::Time")]
    #[serde(skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    /// `W/"<version>"`, as the `ETag` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimEmail")]
pub struct Email {
    value: String,
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary: Option<bool>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimRole")]
pub struct Role {
    value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary: Option<bool>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimUserGroup")]
pub struct UserGroup {
    value: String,
    display: String,
    #[serde(rename = "$ref")]
    reference: String,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimNames")]
#[serde(rename_all = "camelCase")]
pub struct NameOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family_name: Option<String>,
}

/// A User as roster answers it (`attributes`/`excludedAttributes` may
/// leave any attribute out but `id` and `schemas`).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimUser")]
#[serde(rename_all = "camelCase")]
pub struct User {
    schemas: Vec<String>,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<NameOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    emails: Option<Vec<Email>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roles: Option<Vec<Role>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<UserGroup>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimMember")]
pub struct Member {
    value: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "$ref")]
    reference: String,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimGroup")]
#[serde(rename_all = "camelCase")]
pub struct Group {
    schemas: Vec<String>,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<Vec<Member>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta>,
}

/// RFC 7644 §3.4.2: a page of resources.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "ScimListOf{T}")]
pub struct ListResponse<T> {
    schemas: Vec<String>,
    total_results: u64,
    start_index: u64,
    items_per_page: u64,
    #[serde(rename = "Resources")]
    resources: Vec<T>,
}

pub type UserList = ListResponse<User>;
pub type GroupList = ListResponse<Group>;

/// A user or a group (`POST /.search`).
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Resource {
    User(User),
    Group(Group),
}

pub type ResourceList = ListResponse<Resource>;

/// A discovery document (RFC 7643 §5–7): described by its RFC.
pub struct Discovery;

impl JsonSchema for Discovery {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ScimDiscovery".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A ServiceProviderConfig, ResourceType or Schema (RFC 7643 §5–7).",
            "type": "object",
            "required": ["schemas"],
            "properties": {"schemas": {"type": "array", "items": {"type": "string"}}},
            "additionalProperties": true,
        })
    }
}

pub type DiscoveryList = ListResponse<Discovery>;

/// RFC 7644 §3.12.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimError")]
#[serde(rename_all = "camelCase")]
pub struct Error {
    schemas: Vec<String>,
    /// The HTTP status, as a string.
    status: String,
    /// `invalidValue`, `invalidSyntax`, `invalidFilter`, `invalidPath`,
    /// `noTarget`, `mutability`, `uniqueness`, `tooMany`.
    #[serde(skip_serializing_if = "Option::is_none")]
    scim_type: Option<String>,
    detail: String,
}
