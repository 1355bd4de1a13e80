//! Users as an identity provider provisions them: created pending with an
//! invite (or none, when created inactive), changed as a whole — names,
//! e-mail (while pending), role, `externalId`, active — in one transaction,
//! and removed as an admin removes them.
//!
//! `active: false` on a user who signed up disables it (its sessions end);
//! on a pending user it spends the invite link (`User::inactive`), and
//! `active: true` sends a new one.

use serde_json::json;

use crate::clock::now_ms;
use crate::domain::{Email, Name, Role, UserId, UserState};
use crate::error::{Error, Result};
use crate::groups::copies_in_tx;
use crate::policy::{self, Managing};
use crate::repo::accounts::{self, Counts};
use crate::repo::audit::Target;
use crate::repo::tokens::{self, NewToken};
use crate::repo::{claims, User};
use crate::roster::Tx;
use crate::users::{Caller, Invitee, UserRef};
use crate::Roster;

/// Longest `externalId` kept.
pub const MAX_EXTERNAL_ID: usize = 256;

/// A user as a SCIM client states it: every value it holds (a PUT, or a
/// PATCH applied to the user as it stands).
#[derive(Debug, Clone)]
pub struct ProvisionedUser {
    pub email: Email,
    pub first: Name,
    pub last: Name,
    /// `None`: as it is (a new user: `user`).
    pub role: Option<Role>,
    pub external_id: Option<String>,
    pub active: bool,
}

/// Checks an `externalId`: 1 to 256 characters, no control character.
pub fn external_id(raw: &str) -> Result<String> {
    if raw.is_empty() || raw.chars().count() > MAX_EXTERNAL_ID || raw.chars().any(char::is_control)
    {
        return Err(Error::invalid(
            "externalId",
            format!("externalId must be 1 to {MAX_EXTERNAL_ID} characters, no control character"),
        ));
    }
    Ok(raw.to_string())
}

/// Whether a SCIM client sees the user as active.
pub fn is_active(user: &User) -> bool {
    match user.state {
        UserState::Active => true,
        UserState::Disabled => false,
        UserState::Pending => !user.inactive,
    }
}

impl Roster {
    /// Creates a pending user; it gets an invite mail unless it is created
    /// inactive.
    pub async fn provision_user(&self, caller: &Caller, new: ProvisionedUser) -> Result<User> {
        let invitee = Invitee {
            email: new.email,
            first: new.first,
            last: new.last,
            role: new.role.unwrap_or(Role::User),
            external_id: new.external_id,
            inactive: !new.active,
        };
        let (user, _) = self.invite_user(caller, invitee).await?;
        Ok(user)
    }

    /// One user of the caller's account, for a SCIM client.
    pub async fn provisioned_user(&self, caller: &Caller, uid: UserId) -> Result<User> {
        policy::require_admin(&caller.user)?;
        self.find_user(caller, &UserRef::Id(uid)).await
    }

    /// The user whose e-mail is `email`, if the account has one.
    pub async fn provisioned_user_by_email(
        &self,
        caller: &Caller,
        email: &Email,
    ) -> Result<Option<User>> {
        policy::require_admin(&caller.user)?;
        match self.find_user(caller, &UserRef::Email(email.clone())).await {
            Ok(user) => Ok(Some(user)),
            Err(Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Makes the user what `want` says, in one transaction. `version`, when
    /// given (`If-Match`), must be the user's current one.
    pub async fn reprovision_user(
        &self,
        caller: &Caller,
        uid: UserId,
        want: ProvisionedUser,
        version: Option<i64>,
    ) -> Result<User> {
        policy::require_admin(&caller.user)?;
        let mut user = self.find_user(caller, &UserRef::Id(uid)).await?;
        if version.is_some_and(|v| v != user.version) {
            return Err(Error::Stale("the user changed since that version"));
        }
        let aid = user.account_id;
        let mut tx = Tx::new();
        let mut fields: Vec<&str> = Vec::new();
        let mut counts = Counts::default();
        let mut audits = Vec::new();
        let mut login_switch = None;
        let mut new_token = None;

        if want.active != is_active(&user) {
            policy::require_may_manage(&caller.user, &user, Managing::State)?;
            let now = now_ms();
            match (user.state, want.active) {
                (UserState::Pending, false) => {
                    user.inactive = true;
                    tx.extend(user.invite_hash.take().map(|h| tokens::discard_op(&h)));
                    audits.push("user/disable");
                }
                (UserState::Pending, true) => {
                    let token =
                        NewToken::invite(user.id, aid, &want.email, self.settings.invite_ttl_ms)?;
                    user.inactive = false;
                    user.invite_hash = Some(token.hash.clone());
                    new_token = Some(token);
                    audits.push("user/enable");
                }
                (_, false) => {
                    user.state = UserState::Disabled;
                    user.end_sessions(now, None);
                    login_switch = Some(UserState::Disabled);
                    audits.push("user/disable");
                }
                (_, true) => {
                    user.state = UserState::Active;
                    login_switch = Some(UserState::Active);
                    audits.push("user/enable");
                }
            }
        }
        if want.email != user.email {
            if user.state != UserState::Pending {
                return Err(Error::invalid(
                    "userName",
                    "the e-mail of a user who signed up cannot be changed",
                ));
            }
            if let Some(claim) = claims::get(self.table.as_ref(), &want.email).await? {
                if claim.account_id == aid {
                    return Err(Error::conflict(
                        "email",
                        "this email already belongs to a member of this account",
                    ));
                }
            }
            tx.push(claims::uninvite_op(aid, &user.email));
            let moved = claims::invite_op(aid, &want.email, user.id)?;
            tx.push(moved);
            // The old link went to the old address; a new one goes to the
            // new (unless one was just made for it, above).
            if new_token.is_none() {
                if let Some(h) = user.invite_hash.take() {
                    tx.push(tokens::discard_op(&h));
                    let token =
                        NewToken::invite(user.id, aid, &want.email, self.settings.invite_ttl_ms)?;
                    user.invite_hash = Some(token.hash.clone());
                    new_token = Some(token);
                }
            }
            user.email = want.email.clone();
            fields.push("email");
        }
        if want.first.as_str() != user.first {
            user.first = want.first.as_str().to_string();
            fields.push("first");
        }
        if want.last.as_str() != user.last {
            user.last = want.last.as_str().to_string();
            fields.push("last");
        }
        if want.external_id != user.external_id {
            user.external_id = want.external_id.clone();
            fields.push("externalId");
        }
        let mut role_change = None;
        if let Some(role) = want.role.filter(|r| *r != user.role) {
            policy::require_may_manage(&caller.user, &user, Managing::Role)?;
            policy::require_grantable(&caller.user, role)?;
            counts = Counts::seat(role, 1);
            counts.add_seat(user.role, -1);
            role_change = Some((user.role, role));
            user.role = role;
        }
        if fields.is_empty() && audits.is_empty() && role_change.is_none() {
            return Ok(user); // nothing to change: no write, no new version
        }
        tx.push(user.replace_op(now_ms())?);
        let copied = fields
            .iter()
            .any(|f| ["email", "first", "last"].contains(f));
        if copied {
            tx.extend(copies_in_tx(&user));
        }
        if let Some(token) = &new_token {
            tx.push(token.insert_op()?);
        }
        let target = Target::user(&user);
        if !fields.is_empty() {
            let detail = json!({"fields": fields});
            tx.push(self.audit_for(caller, "user/update", target.clone(), detail)?);
        }
        for action in audits {
            tx.push(self.audit_for(
                caller,
                action,
                target.clone(),
                json!({"fields": ["state"]}),
            )?);
        }
        if let Some((from, to)) = role_change {
            let detail = json!({"from": from.as_str(), "to": to.as_str()});
            tx.push(self.audit_for(caller, "user/updateRole", target.clone(), detail)?);
        }
        self.write_counted(aid, tx, counts, |_| None).await?;
        if copied {
            self.refresh_copies(&user).await;
        }
        if let Some(state) = login_switch {
            self.switch_login(&user, state).await?;
        }
        if let Some(token) = new_token {
            let account = accounts::require(self.table.as_ref(), aid).await?;
            let url = self.invite_url(&token.secret);
            self.send_invite(caller, &user, &url, &account).await?;
        }
        Ok(user)
    }
}

impl Roster {
    /// The groups `user` is in, for its SCIM `groups` (read-only there).
    pub async fn provisioned_groups_of(
        &self,
        caller: &Caller,
        user: &User,
    ) -> Result<Vec<crate::repo::groups::Group>> {
        policy::require_admin(&caller.user)?;
        let ids: Vec<crate::domain::GroupId> = user
            .groups
            .iter()
            .filter_map(|g| crate::domain::GroupId::parse(g).ok())
            .collect();
        self.groups_by_id(user.account_id, &ids).await
    }
}
