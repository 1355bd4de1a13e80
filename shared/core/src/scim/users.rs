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
use crate::repo::{claims, ScimEmail, ScimProfile, ScimRole, User};
use crate::roster::Tx;
use crate::users::{Caller, Invitee, UserRef};
use crate::Roster;

/// Longest `externalId` kept.
pub const MAX_EXTERNAL_ID: usize = 256;
/// Longest `userName` (an e-mail address is at most 254 characters).
pub const MAX_USER_NAME: usize = 256;
/// Longest `userName` in bytes (UTF-8).
const MAX_NAME_BYTES: usize = 512;
/// Most `emails` and `roles` entries kept.
pub const MAX_ENTRIES: usize = 10;
/// Longest e-mail `type` or role value kept.
const MAX_LABEL: usize = 64;

/// A user as a SCIM client states it: every value it holds (a PUT, or a
/// PATCH applied to the user as it stands).
///
/// roster's e-mail is `userName` when that is an address, else the primary
/// (or first) of `emails`; its role is the primary (or first) of `roles`.
#[derive(Debug, Clone)]
pub struct ProvisionedUser {
    pub user_name: String,
    pub emails: Vec<ScimEmail>,
    /// `None`: not stated. On a user whose roles the client never set, the
    /// role stays as it is; on one whose roles it set, it falls back to `user`.
    pub roles: Option<Vec<ScimRole>>,
    pub first: Name,
    pub last: Name,
    pub external_id: Option<String>,
    /// `None`: as it is (a new user: active).
    pub active: Option<bool>,
}

fn short(field: &'static str, raw: &str, max: usize) -> Result<()> {
    if raw.chars().count() > max || raw.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!("{field} must be at most {max} characters, no control character"),
        ));
    }
    Ok(())
}

impl ProvisionedUser {
    /// Checks what roster keeps of it.
    pub fn validate(&self) -> Result<()> {
        if self.user_name.trim().is_empty() {
            return Err(Error::invalid("userName", "userName is required"));
        }
        short("userName", &self.user_name, MAX_USER_NAME)?;
        // Its claim's key must fit a sort key (1 KB) in any script.
        if self.user_name.len() > MAX_NAME_BYTES {
            return Err(Error::invalid("userName", "userName is too long"));
        }
        if self.emails.len() > MAX_ENTRIES {
            return Err(Error::invalid(
                "emails",
                format!("at most {MAX_ENTRIES} emails"),
            ));
        }
        for e in &self.emails {
            short("emails", &e.value, Email::MAX_LEN)?;
            short("emails", e.kind.as_deref().unwrap_or(""), MAX_LABEL)?;
        }
        if self
            .emails
            .iter()
            .filter(|e| e.primary == Some(true))
            .count()
            > 1
        {
            return Err(Error::invalid("emails", "at most one of emails is primary"));
        }
        if let Some(roles) = &self.roles {
            if roles.len() > MAX_ENTRIES {
                return Err(Error::invalid(
                    "roles",
                    format!("at most {MAX_ENTRIES} roles"),
                ));
            }
            if roles.iter().filter(|r| r.primary == Some(true)).count() > 1 {
                return Err(Error::invalid("roles", "at most one of roles is primary"));
            }
        }
        self.email()?;
        self.role()?;
        Ok(())
    }

    /// roster's e-mail for it.
    pub fn email(&self) -> Result<Email> {
        if let Ok(email) = Email::parse(&self.user_name) {
            return Ok(email);
        }
        let chosen = self
            .emails
            .iter()
            .find(|e| e.primary == Some(true))
            .or(self.emails.first())
            .ok_or_else(|| {
                Error::invalid(
                    "emails",
                    "a userName that is no e-mail address needs an address in emails",
                )
            })?;
        Email::parse(&chosen.value).map_err(|_| {
            Error::invalid("emails", "the primary of emails must be an e-mail address")
        })
    }

    /// roster's role for it, when `roles` states one.
    pub fn role(&self) -> Result<Option<Role>> {
        let Some(roles) = &self.roles else {
            return Ok(None);
        };
        let Some(chosen) = roles
            .iter()
            .find(|r| r.primary == Some(true))
            .or(roles.first())
        else {
            return Ok(None);
        };
        Role::parse(&chosen.value.to_ascii_lowercase())
            .map(Some)
            .map_err(|_| Error::invalid("roles", "roles[].value must be admin, user or viewer"))
    }

    /// The `userName` claim it needs: a name that is no e-mail address.
    fn name_claim(&self) -> Option<&str> {
        Email::parse(&self.user_name)
            .is_err()
            .then_some(self.user_name.as_str())
    }

    fn profile(&self) -> ScimProfile {
        ScimProfile {
            user_name: self.user_name.clone(),
            emails: self.emails.clone(),
            roles: self.roles.clone(),
        }
    }
}

/// The `userName` claim `user` holds, if any.
pub(crate) fn held_claim(user: &User) -> Option<&str> {
    user.scim
        .as_ref()
        .map(|p| p.user_name.as_str())
        .filter(|n| Email::parse(n).is_err())
}

/// A `userName` held by another user.
pub(crate) fn name_taken() -> Error {
    Error::conflict("userName", "a user with this userName already exists")
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
        new.validate()?;
        let invitee = Invitee {
            email: new.email()?,
            first: new.first.clone(),
            last: new.last.clone(),
            role: new.role()?.unwrap_or(Role::User),
            external_id: new.external_id.clone(),
            inactive: new.active == Some(false),
            scim: Some(new.profile()),
            name_claim: new.name_claim().map(str::to_string),
        };
        let (user, _) = self.invite_user(caller, invitee).await?;
        Ok(user)
    }

    /// One user of the caller's account, for a SCIM client.
    pub async fn provisioned_user(&self, caller: &Caller, uid: UserId) -> Result<User> {
        policy::require_admin(&caller.user)?;
        self.find_user(caller, &UserRef::Id(uid)).await
    }

    /// The user whose SCIM `userName` is `name` (case-insensitively), if
    /// the account has one.
    pub async fn provisioned_user_by_name(
        &self,
        caller: &Caller,
        name: &str,
    ) -> Result<Option<User>> {
        policy::require_admin(&caller.user)?;
        let aid = caller.user.account_id;
        if name.len() > MAX_NAME_BYTES {
            return Ok(None); // no user has so long a name
        }
        let found = match Email::parse(name) {
            Ok(email) => match self.find_user(caller, &UserRef::Email(email)).await {
                Ok(user) => Some(user),
                Err(Error::NotFound(_)) => None,
                Err(e) => return Err(e),
            },
            Err(_) => match claims::get_scim_name(self.table.as_ref(), aid, name).await? {
                Some(uid) => match self.find_user(caller, &UserRef::Id(uid)).await {
                    Ok(user) => Some(user),
                    Err(Error::NotFound(_)) => None,
                    Err(e) => return Err(e),
                },
                None => None,
            },
        };
        Ok(found)
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
        want.validate()?;
        let want_email = want.email()?;
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
        let mut invited = None;

        let active = want.active.unwrap_or_else(|| is_active(&user));
        if active != is_active(&user) {
            policy::require_may_manage(&caller.user, &user, Managing::State)?;
            let now = now_ms();
            match (user.state, active) {
                (UserState::Pending, false) => {
                    user.inactive = true;
                    tx.extend(user.invite_hash.take().map(|h| tokens::discard_op(&h)));
                    audits.push("user/disable");
                }
                (UserState::Pending, true) => {
                    let token =
                        NewToken::invite(user.id, aid, &want_email, self.invite_ttl(&user))?;
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
        if want_email != user.email {
            if user.state != UserState::Pending {
                return Err(Error::invalid(
                    "userName",
                    "the e-mail of a user who signed up cannot be changed",
                ));
            }
            if let Some(claim) = claims::get(self.table.as_ref(), &want_email).await? {
                if claim.account_id == aid {
                    return Err(Error::conflict(
                        "email",
                        "this email already belongs to a member of this account",
                    ));
                }
            }
            tx.push(claims::uninvite_op(aid, &user.email));
            let moved = claims::invite_op(aid, &want_email, user.id)?;
            invited = Some(tx.push(moved));
            // The old link went to the old address; a new one goes to the
            // new (unless one was just made for it, above).
            if new_token.is_none() {
                if let Some(h) = user.invite_hash.take() {
                    tx.push(tokens::discard_op(&h));
                    let token =
                        NewToken::invite(user.id, aid, &want_email, self.invite_ttl(&user))?;
                    user.invite_hash = Some(token.hash.clone());
                    new_token = Some(token);
                }
            }
            user.email = want_email.clone();
            fields.push("email");
        }
        // The `userName` claim moves with a name that is no address.
        let mut claimed = None;
        let (had, wants) = (held_claim(&user).map(str::to_string), want.name_claim());
        let fold = |n: &str| claims::fold_scim_name(n);
        if had.as_deref().map(fold) != wants.map(fold) {
            tx.extend(
                had.as_deref()
                    .map(|n| claims::release_scim_name_op(aid, n, user.id)),
            );
            if let Some(name) = wants {
                claimed = Some(tx.push(claims::scim_name_op(aid, name, user.id)?));
            }
        }
        let role_wanted = match want.role()? {
            Some(role) => Some(role),
            // Roles the client set, and took away: the default role.
            None if user.scim.as_ref().is_some_and(|p| p.roles.is_some()) => Some(Role::User),
            None => None,
        };
        let profile = want.profile();
        if user.scim.as_ref() != Some(&profile) {
            for (field, changed) in [
                (
                    "userName",
                    user.scim.as_ref().map(|p| &p.user_name) != Some(&profile.user_name),
                ),
                (
                    "emails",
                    user.scim.as_ref().map(|p| &p.emails) != Some(&profile.emails),
                ),
                (
                    "roles",
                    user.scim.as_ref().map(|p| &p.roles) != Some(&profile.roles),
                ),
            ] {
                if changed && !fields.contains(&field) {
                    fields.push(field);
                }
            }
            user.scim = Some(profile);
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
        if let Some(role) = role_wanted.filter(|r| *r != user.role) {
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
        self.write_counted(aid, tx, counts, |failed| {
            if Some(failed) == claimed {
                Some(name_taken())
            } else {
                (Some(failed) == invited)
                    .then(|| Error::conflict("email", "this email is already invited"))
            }
        })
        .await?;
        if copied {
            self.refresh_copies(&user).await;
        }
        if let Some(state) = login_switch {
            self.switch_login(&user, state).await?;
        }
        // A user who joins through the hosted UI gets no mail.
        if let Some(token) = new_token.filter(|_| !user.hosted_join) {
            let account = accounts::require(self.table.as_ref(), aid).await?;
            let url = self.invite_url(&token.secret);
            self.send_invite(caller, &user, &url, &account).await?;
        }
        Ok(user)
    }
}

impl Roster {
    /// How long a new invite token of `user` works.
    fn invite_ttl(&self, user: &User) -> i64 {
        if user.hosted_join {
            tokens::HOSTED_JOIN_TTL_MS
        } else {
            self.settings.invite_ttl_ms
        }
    }

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
