//! Reading and changing one user: get, update, updateRole, remove.

use serde_json::{json, Map, Value};

use crate::clock::now_ms;
use crate::domain::{Email, GroupId, Name, Role, UserId, UserState};
use crate::error::{Error, Result};
use crate::groups::copies_in_tx;
use crate::policy::{self, Managing};
use crate::repo::accounts::{self, Counts};
use crate::repo::audit::Target;
use crate::repo::claims;
use crate::repo::groups;
use crate::repo::tokens;
use crate::repo::tombstones::Tombstone;
use crate::repo::{users, Account, User};
use crate::roster::Tx;
use crate::Roster;

use super::Caller;

/// How a request names a user.
#[derive(Debug, Clone)]
pub enum UserRef {
    Id(UserId),
    Email(Email),
}

/// `user/update`: what to change. `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct UpdateUser {
    pub id: Option<UserId>,
    pub first: Option<Name>,
    pub last: Option<Name>,
    pub preferences: Option<Map<String, Value>>,
    /// Only for pending users (a typo in an invite).
    pub email: Option<Email>,
    /// `active` or `disabled`; admins only, not on oneself or the owner.
    pub state: Option<UserState>,
}

const NOT_FOUND: &str = "no such user";

/// Memberships written in the transaction of their user's own write (removal:
/// two ops each; a user in more groups leaves the rest first, in chunks).
const IN_ONE_TX: usize = 40;

impl Roster {
    /// A user of the caller's account. Users of other accounts are
    /// `NotFound`, exactly like ids that don't exist.
    pub(crate) async fn find_user(&self, caller: &Caller, target: &UserRef) -> Result<User> {
        let aid = caller.user.account_id;
        let table = self.table.as_ref();
        let uid = match target {
            UserRef::Id(uid) => *uid,
            UserRef::Email(email) => match claims::get(table, email).await? {
                Some(claim) if claim.account_id == aid => claim.user_id,
                _ => {
                    claims::get_invited(table, aid, email)
                        .await?
                        .ok_or(Error::NotFound(NOT_FOUND))?
                        .user_id
                }
            },
        };
        if caller.is(uid) {
            return Ok(caller.user.clone());
        }
        users::get(table, aid, uid)
            .await?
            .ok_or(Error::NotFound(NOT_FOUND))
    }

    /// [`Roster::find_user`], and the caller's account, read in one batch
    /// when the target is named by id.
    pub(crate) async fn find_user_and_account(
        &self,
        caller: &Caller,
        target: &UserRef,
    ) -> Result<(User, Account)> {
        let aid = caller.user.account_id;
        let table = self.table.as_ref();
        match target {
            UserRef::Id(uid) if !caller.is(*uid) => users::get_with_account(table, aid, *uid)
                .await?
                .ok_or(Error::NotFound(NOT_FOUND)),
            _ => {
                let user = self.find_user(caller, target).await?;
                Ok((user, accounts::require(table, aid).await?))
            }
        }
    }

    pub async fn get_user(&self, caller: &Caller, target: UserRef) -> Result<User> {
        let is_self = match &target {
            UserRef::Id(uid) => *uid == caller.user.id,
            UserRef::Email(email) => *email == caller.user.email,
        };
        if !is_self {
            policy::require_admin(&caller.user)?;
        }
        self.find_user(caller, &target).await
    }

    pub async fn update_user(&self, caller: &Caller, change: UpdateUser) -> Result<User> {
        let target = change.id.unwrap_or(caller.user.id);
        policy::require_self_or_admin(&caller.user, target)?;
        let mut user = self.find_user(caller, &UserRef::Id(target)).await?;
        // The email change's ops, written after the user's own.
        let mut moved = None;
        let mut login_switch = None;
        // What the audit entry records (names of fields, never values).
        let mut fields = Vec::new();
        let mut action = "user/update";

        if let Some(state) = change.state.filter(|s| *s != user.state) {
            policy::require_may_manage(&caller.user, &user, Managing::State)?;
            if state == UserState::Pending || user.state == UserState::Pending {
                return Err(Error::invalid(
                    "state",
                    "a pending user becomes active by signing up",
                ));
            }
            user.state = state;
            login_switch = Some(state);
            action = match state {
                UserState::Disabled => "user/disable",
                _ => "user/enable",
            };
            if state == UserState::Disabled {
                // Disabled users are signed out everywhere.
                user.end_sessions(now_ms(), None);
            }
        }
        if let Some(email) = change.email.filter(|e| *e != user.email) {
            if user.state != UserState::Pending {
                return Err(Error::Forbidden(
                    "the email of a user who signed up cannot be changed",
                ));
            }
            let aid = user.account_id;
            if let Some(claim) = claims::get(self.table.as_ref(), &email).await? {
                if claim.account_id == aid {
                    return Err(Error::conflict(
                        "email",
                        "this email already belongs to a member of this account",
                    ));
                }
            }
            // The old link went to the wrong mailbox: it stops working, and
            // the admin sends a new one with resendInvite.
            let old_invite = claims::uninvite_op(aid, &user.email);
            let new_invite = claims::invite_op(aid, &email, user.id)?;
            let old_token = user.invite_hash.take().map(|h| tokens::discard_op(&h));
            moved = Some((old_invite, new_invite, old_token));
            user.email = email;
            fields.push("email");
        }
        if let Some(first) = change.first {
            user.first = first.as_str().to_string();
            fields.push("first");
        }
        if let Some(last) = change.last {
            user.last = last.as_str().to_string();
            fields.push("last");
        }
        if let Some(preferences) = change.preferences {
            user.preferences = preferences;
            fields.push("preferences");
        }
        let mut tx = Tx::new();
        tx.push(user.replace_op(now_ms())?);
        let copied = fields
            .iter()
            .any(|f| ["email", "first", "last"].contains(f));
        if copied {
            // What `group/members` sorts and searches by.
            tx.extend(copies_in_tx(&user));
        }
        if user.id != caller.user.id {
            tx.push(self.audit_for(
                caller,
                action,
                Target::user(&user),
                json!({"fields": fields}),
            )?);
        }
        let mut invited = None;
        if let Some((old_invite, new_invite, old_token)) = moved {
            tx.push(old_invite);
            invited = Some(tx.push(new_invite));
            tx.extend(old_token);
        }
        self.write(tx, |failed| {
            (Some(failed) == invited)
                .then(|| Error::conflict("email", "this email is already invited"))
        })
        .await?;
        if copied {
            self.refresh_copies(&user).await;
        }
        if let Some(state) = login_switch {
            self.switch_login(&user, state).await?;
        }
        Ok(user)
    }

    /// Ops that take `user` out of all its groups: its memberships, and the
    /// member counts of the groups that still exist.
    async fn leave_ops(&self, user: &User) -> Result<Vec<crate::ports::Op>> {
        let aid = user.account_id;
        let gids: Vec<GroupId> = user
            .groups
            .iter()
            .filter_map(|g| GroupId::parse(g).ok())
            .collect();
        let existing = self.groups_by_id(aid, &gids).await?;
        let mut ops = Vec::new();
        for gid in gids {
            ops.push(groups::delete_membership_op(aid, gid, user.id));
            if existing.iter().any(|g| g.id == gid) {
                ops.push(groups::count_op(aid, gid, -1));
            }
        }
        Ok(ops)
    }

    pub(crate) async fn switch_login(&self, user: &User, state: UserState) -> Result<()> {
        if user.idp.is_some() {
            // A linked user's login is the pool's, not roster's: roster
            // refuses the disabled user on every login and request itself.
            return Ok(());
        }
        let login = user.id.to_string();
        match state {
            UserState::Disabled => self.identity.disable_login(&login).await?,
            _ => self.identity.enable_login(&login).await?,
        }
        Ok(())
    }

    /// Changes a role; with `send_invite`, a pending user also gets a fresh
    /// invite (its link is returned). `send_invite` on a user who has signed
    /// up does nothing.
    pub async fn update_role(
        &self,
        caller: &Caller,
        id: UserId,
        role: Role,
        send_invite: bool,
    ) -> Result<(User, Option<String>)> {
        policy::require_admin(&caller.user)?;
        let mut user = self.find_user(caller, &UserRef::Id(id)).await?;
        policy::require_may_manage(&caller.user, &user, Managing::Role)?;
        policy::require_grantable(&caller.user, role)?;
        if user.role != role {
            let from = user.role;
            user.role = role;
            let mut tx = Tx::new();
            tx.push(user.replace_op(now_ms())?);
            let detail = json!({"from": from.as_str(), "to": role.as_str()});
            tx.push(self.audit_for(caller, "user/updateRole", Target::user(&user), detail)?);
            // Moving between kinds frees one seat and takes another.
            let mut counts = Counts::seat(role, 1);
            counts.add_seat(from, -1);
            self.write_counted(user.account_id, tx, counts, |_| None)
                .await?;
        }
        if send_invite && user.state == UserState::Pending {
            let (user, url) = self.resend_invite(caller, UserRef::Id(user.id)).await?;
            return Ok((user, Some(url)));
        }
        Ok((user, None))
    }

    /// Removes a user: frees its seat and e-mail, spends its invite, and
    /// signs it out everywhere (its sessions die with its user item). A
    /// tombstone records that it was a user.
    pub async fn remove_user(&self, caller: &Caller, target: UserRef) -> Result<()> {
        self.remove_user_at(caller, target, None).await
    }

    /// [`Roster::remove_user`], only while the user is at `version` (SCIM
    /// `If-Match`): the removal is conditional on it.
    pub async fn remove_user_at(
        &self,
        caller: &Caller,
        target: UserRef,
        version: Option<i64>,
    ) -> Result<()> {
        policy::require_admin(&caller.user)?;
        let user = self.find_user(caller, &target).await?;
        if version.is_some_and(|v| v != user.version) {
            return Err(Error::Stale("the user changed since that version"));
        }
        policy::require_may_manage(&caller.user, &user, Managing::Remove)?;
        let aid = user.account_id;
        // A user in more groups than one transaction holds leaves some first.
        let user = self.leave_groups(&user, IN_ONE_TX).await?;
        let mut tx = Tx::new();
        tx.push(user.delete_op());
        // Only the replaced APIs list it (`deleted=true`).
        tx.push(Tombstone::of(&user, now_ms(), self.settings.audit_days).put_op()?);
        tx.extend(self.leave_ops(&user).await?);
        let detail = json!({"role": user.role.as_str()});
        tx.push(self.audit_for(caller, "user/remove", Target::user(&user), detail)?);
        // Its SCIM `userName`, when that held a claim of its own.
        tx.extend(
            crate::scim::held_claim(&user).map(|n| claims::release_scim_name_op(aid, n, user.id)),
        );
        match user.state {
            UserState::Pending => {
                tx.push(claims::uninvite_op(aid, &user.email));
                tx.extend(user.invite_hash.as_deref().map(tokens::discard_op));
            }
            UserState::Active | UserState::Disabled => {
                tx.push(claims::release_op(&user.email, user.id));
                tx.extend(
                    user.idp
                        .as_deref()
                        .map(|subject| claims::unlink_op(subject, user.id)),
                );
            }
        }
        self.write_counted(aid, tx, Counts::seat(user.role, -1), |_| None)
            .await?;
        if user.state != UserState::Pending && user.idp.is_none() {
            // The user is already gone from roster; a login left behind at
            // the provider cannot be used, so a failure here is only logged.
            if let Err(e) = self.identity.delete_login(&user.id.to_string()).await {
                tracing::warn!(error = %e, user = %user.id, "login not deleted");
            }
        }
        Ok(())
    }
}
