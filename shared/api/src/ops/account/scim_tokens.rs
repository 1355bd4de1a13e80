//! `account/scimTokenCreate`, `account/scimTokens`, `account/scimTokenRevoke`:
//! the tokens an identity provider presents on `/scim/v2/`.

use roster_core::domain::ScimTokenId;
use roster_core::Roster;
use serde::Deserialize;

use crate::schema;
use crate::views::{self, Reply};
use crate::{ApiError, Call};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ScimTokenCreateBody")]
pub(crate) struct CreateBody {
    /// What to call it: the provider, say (`Okta`).
    #[schemars(with = "schema::Title")]
    name: String,
}

pub async fn create(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: CreateBody = call.body()?;
    let (token, secret) = roster.create_scim_token(call.caller()?, &b.name).await?;
    Reply::json(&views::ScimTokenMade {
        token: views::scim_token(&token),
        secret: &secret,
    })
}

pub async fn list(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let crate::ops::user::read::Empty {} = call.body()?;
    let tokens = roster.scim_tokens(call.caller()?).await?;
    Reply::json(&views::ScimTokenList {
        tokens: tokens.iter().map(views::scim_token).collect(),
    })
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ScimTokenRevokeBody")]
pub(crate) struct RevokeBody {
    #[schemars(with = "schema::Id")]
    id: String,
}

pub async fn revoke(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let b: RevokeBody = call.body()?;
    let id = ScimTokenId::parse(&b.id)?;
    roster.revoke_scim_token(call.caller()?, id).await?;
    Reply::empty()
}
