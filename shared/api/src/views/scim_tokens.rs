//! SCIM tokens as `account/scimTokens` lists them: never the secret, never
//! its hash. The text is in `account/scimTokenCreate`'s answer alone.

use roster_core::clock::rfc3339;
use roster_core::domain::ScimTokenId;
use roster_core::repo::scim_tokens::ScimToken;
use schemars::JsonSchema;
use serde::Serialize;

use crate::schema;

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "ScimToken")]
pub struct ScimTokenView<'a> {
    /// Also the `actor.id` of what it did, in the audit log.
    #[schemars(with = "schema::Id")]
    id: ScimTokenId,
    #[schemars(with = "schema::Title")]
    name: &'a str,
    #[schemars(with = "schema::Time")]
    created: String,
    /// The admin who made it.
    #[schemars(with = "schema::Id")]
    created_by: &'a str,
}

pub fn scim_token(t: &ScimToken) -> ScimTokenView<'_> {
    ScimTokenView {
        id: t.id,
        name: &t.name,
        created: rfc3339(t.created),
        created_by: &t.created_by,
    }
}

/// `account/scimTokenCreate`: the token, and its text, shown this once.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimTokenMade")]
pub struct ScimTokenMade<'a> {
    pub token: ScimTokenView<'a>,
    /// `Authorization: Bearer <secret>` on `/scim/v2/`; roster keeps only its
    /// hash.
    #[schemars(schema_with = "secret")]
    pub secret: &'a str,
}

fn secret(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "pattern": "^rscim\\.", "minLength": 1})
}

/// `account/scimTokens`: every token of the account, oldest first.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScimTokenList")]
pub struct ScimTokenList<'a> {
    pub tokens: Vec<ScimTokenView<'a>>,
}
