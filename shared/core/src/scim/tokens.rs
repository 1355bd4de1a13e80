//! The account's SCIM tokens, and the caller a presented one makes.

use serde_json::json;

use crate::clock::now_ms;
use crate::domain::{AccountName, Email, Role, ScimTokenId, SessionId, UserId, UserState};
use crate::error::{Error, Result};
use crate::policy;
use crate::repo::audit::{Actor, Target};
use crate::repo::scim_tokens::{self, ScimToken, MAX_TOKENS};
use crate::repo::{users, User};
use crate::roster::Tx;
use crate::users::Caller;
use crate::Roster;

/// Who invites, in the mail of a user a SCIM token created, when the token
/// has no name to show (every token has one; this is the fallback).
pub const SCIM_ACTOR_NAME: &str = "your identity provider";

const NOT_FOUND: &str = "no such SCIM token";
const REFUSED: &str = "no valid SCIM token";

fn target(token: &ScimToken) -> Target {
    Target {
        kind: "scimToken".into(),
        id: token.id.to_string(),
        label: token.name.clone(),
    }
}

impl Roster {
    /// Makes a SCIM token for the caller's account (admins). Returns it and
    /// its text, shown this once.
    pub async fn create_scim_token(
        &self,
        caller: &Caller,
        name: &str,
    ) -> Result<(ScimToken, String)> {
        policy::require_admin(&caller.user)?;
        // A display name, as an account's: 1 to 100 characters, trimmed.
        let name = AccountName::parse_field("name", name)?;
        let aid = caller.user.account_id;
        let (token, text) = ScimToken::new(
            aid,
            name.as_str().to_string(),
            caller.actor.id.clone(),
            now_ms(),
        )?;
        let mut tx = Tx::new();
        tx.push(token.insert_op()?);
        let place = tx.push(scim_tokens::take_place_op(aid));
        tx.push(self.audit_for(caller, "account/scimTokenCreate", target(&token), json!({}))?);
        self.write(tx, |failed| {
            (failed == place).then(|| {
                Error::conflict(
                    "name",
                    format!("an account holds at most {MAX_TOKENS} SCIM tokens; revoke one first"),
                )
            })
        })
        .await?;
        Ok((token, text))
    }

    /// The account's SCIM tokens, oldest first (admins).
    pub async fn scim_tokens(&self, caller: &Caller) -> Result<Vec<ScimToken>> {
        policy::require_admin(&caller.user)?;
        scim_tokens::all(self.table.as_ref(), caller.user.account_id).await
    }

    /// Revokes a SCIM token (admins): the next request that presents it is
    /// refused.
    pub async fn revoke_scim_token(&self, caller: &Caller, id: ScimTokenId) -> Result<()> {
        policy::require_admin(&caller.user)?;
        let aid = caller.user.account_id;
        let token = scim_tokens::get(self.table.as_ref(), aid, id)
            .await?
            .ok_or(Error::NotFound(NOT_FOUND))?;
        let mut tx = Tx::new();
        let gone = tx.push(scim_tokens::delete_op(aid, id));
        tx.push(scim_tokens::free_place_op(aid));
        tx.push(self.audit_for(caller, "account/scimTokenRevoke", target(&token), json!({}))?);
        // Revoked twice at once: one of the two finds it gone.
        self.write(tx, |failed| {
            (failed == gone).then_some(Error::NotFound(NOT_FOUND))
        })
        .await
    }

    /// The caller a presented SCIM token makes: a stand-in admin of the
    /// token's account, never stored, whose actions the log files under the
    /// token. Read consistently on every request, so a revoked token stops
    /// at once.
    pub async fn authenticate_scim(&self, text: &str) -> Result<Caller> {
        let presented = scim_tokens::parse(text).ok_or(Error::Unauthenticated(REFUSED))?;
        let token = scim_tokens::get(self.table.as_ref(), presented.account, presented.id)
            .await?
            .filter(|t| t.matches(presented.secret))
            .ok_or(Error::Unauthenticated(REFUSED))?;
        // A token stands for its account while the admin who made it is
        // one: removing, disabling or demoting that admin stops it too.
        let creator = UserId::parse(&token.created_by).ok();
        let still_admin = match creator {
            Some(uid) => users::get(self.table.as_ref(), token.account_id, uid)
                .await?
                .is_some_and(|u| u.state == UserState::Active && u.role.is_admin()),
            None => false,
        };
        if !still_admin {
            return Err(Error::Unauthenticated(
                "this SCIM token's admin is no longer an admin; make a new token",
            ));
        }
        Ok(stand_in(&token))
    }
}

/// The admin a SCIM token acts as.
fn stand_in(token: &ScimToken) -> Caller {
    let id = UserId::from_ulid(token.id.ulid());
    let mut user = User::new(
        id,
        token.account_id,
        Email::from_stored(String::new()),
        Role::Admin,
        UserState::Active,
        token.created,
    );
    // What an invite mail names as its sender.
    user.first = if token.name.is_empty() {
        SCIM_ACTOR_NAME.into()
    } else {
        token.name.clone()
    };
    Caller {
        user,
        session: SessionId::from_ulid(token.id.ulid()),
        session_started: token.created,
        actor: Actor {
            id: token.id.to_string(),
            email: String::new(),
        },
        stand_in: true,
    }
}
