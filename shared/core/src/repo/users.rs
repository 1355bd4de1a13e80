//! The user item.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::codec::{from_item, to_item};
use super::keys;
use crate::auth::ACCESS_TTL_SECS;
use crate::domain::{AccountId, Email, Role, SessionId, UserId, UserState};
use crate::error::Result;
use crate::ports::{Cond, Item, Op, Table};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: UserId,
    pub account_id: AccountId,
    #[serde(deserialize_with = "stored_email")]
    pub email: Email,
    #[serde(default)]
    pub first: String,
    #[serde(default)]
    pub last: String,
    pub role: Role,
    pub state: UserState,
    #[serde(default)]
    pub mfa: bool,
    #[serde(default)]
    pub preferences: Map<String, Value>,
    /// Last login, ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<i64>,
    pub created: i64,
    pub updated: i64,
    /// Bumped on every write; writes are conditional on it (optimistic locking).
    #[serde(default)]
    pub version: i64,
    /// Hash of the current invite token, while pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_hash: Option<String>,
    /// Ids of the groups the user belongs to.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Sessions started before this (ms) are void: set by "log out everywhere"
    /// and password changes.
    #[serde(default)]
    pub sessions_valid_after: i64,
    /// Sessions logged out one by one: id → when their last access token
    /// expires (ms). Kept only that long, so the list stays short.
    #[serde(default)]
    pub revoked: BTreeMap<String, i64>,
    /// The hosted-UI identity (the pool's `sub`) this user logs in as, when it
    /// was linked from one. Such a user has no login roster created: its
    /// password and second factor live in the user pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp: Option<String>,
    /// The one session a mass sign-out spared: the caller's, when turning MFA
    /// on or off ended the user's *other* sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survivor: Option<String>,
    /// Hashes of the unused recovery codes (see `users::mfa`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery: Vec<String>,
    /// TOTP codes that completed a login lately, hashed: a code is accepted
    /// once. Kept while a code can still be valid (see `users::mfa`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub used_codes: Vec<UsedCode>,
    /// When the password was last set (ms): reset links issued before it are void.
    #[serde(default)]
    pub password_changed: i64,
    /// The identity provider's id of this user (SCIM `externalId`), when a
    /// SCIM client gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// A pending user its identity provider deactivated (SCIM `active:
    /// false`): it has no invite link, and gets a new one when activated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inactive: bool,
    /// A pending user provisioned while its account sends SCIM users no
    /// invite mail: it joins on its first hosted-UI login with its e-mail
    /// (its invite token is kept for that, never mailed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hosted_join: bool,
    /// What a SCIM client stated of this user beyond roster's own fields,
    /// kept as given so it reads back as it was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scim: Option<ScimProfile>,
}

/// A user's SCIM `userName`, `emails` and `roles`, as a client gave them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimProfile {
    /// As given (case kept). Unique in the account, case-insensitively: an
    /// e-mail address is the user's e-mail (and its claims); any other name
    /// holds a `SCIMNAME#` claim.
    pub user_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<ScimEmail>,
    /// `None`: never set (the role is then shown only when it is not `user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<ScimRole>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimEmail {
    pub value: String,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimRole {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
}

/// A TOTP code that completed a login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedCode {
    /// Hash of the code.
    pub h: String,
    /// When it was used, ms.
    pub at: i64,
}

impl User {
    pub fn to_item(&self) -> Result<Item> {
        let mut item = to_item(&keys::user(self.account_id, self.id), self)?;
        item.insert("gs1pk".into(), keys::users_gs1pk(self.account_id).into());
        item.insert(
            "gs1sk".into(),
            keys::users_gs1sk(&self.email, self.id).into(),
        );
        // Lower-cased copies for prefix search (`user/find` `query`).
        let name = format!("{} {}", self.first, self.last)
            .trim()
            .to_lowercase();
        item.insert("nameLc".into(), name.into());
        item.insert("lastLc".into(), self.last.to_lowercase().into());
        Ok(item)
    }

    pub fn from_item(item: Item) -> Result<User> {
        from_item(item)
    }

    /// Writes a new user; fails if the id is taken.
    pub fn insert_op(&self) -> Result<Op> {
        Ok(Op::put(self.to_item()?).when(Cond::NotExists))
    }

    /// Writes `self` over the version it was read at, bumping `version`.
    /// Fails (as a condition) if anything wrote the user meanwhile.
    pub fn replace_op(&mut self, now: i64) -> Result<Op> {
        let read_at = self.version;
        self.version += 1;
        self.updated = now;
        Ok(Op::put(self.to_item()?).when(Cond::Eq("version".into(), read_at.into())))
    }

    /// Writes only `groups` (as `self` holds them), over the version it was
    /// read at, bumping it: what other writers set meanwhile without a new
    /// version (a login's `activity`) stays.
    pub fn groups_op(&mut self, now: i64) -> Op {
        let read_at = self.version;
        self.version += 1;
        self.updated = now;
        Op::update(keys::user(self.account_id, self.id))
            .set("groups", self.groups.clone())
            .set("version", self.version)
            .set("updated", now)
            .when(Cond::Eq("version".into(), read_at.into()))
    }

    pub fn delete_op(&self) -> Op {
        Op::delete(keys::user(self.account_id, self.id))
            .when(Cond::Eq("version".into(), self.version.into()))
    }

    /// A new user record with nothing but what every user has.
    pub fn new(
        id: UserId,
        account_id: AccountId,
        email: Email,
        role: Role,
        state: UserState,
        now: i64,
    ) -> User {
        User {
            id,
            account_id,
            email,
            first: String::new(),
            last: String::new(),
            role,
            state,
            mfa: false,
            preferences: Default::default(),
            activity: None,
            created: now,
            updated: now,
            version: 0,
            invite_hash: None,
            groups: Vec::new(),
            sessions_valid_after: 0,
            revoked: Default::default(),
            idp: None,
            survivor: None,
            recovery: Vec::new(),
            used_codes: Vec::new(),
            password_changed: 0,
            external_id: None,
            inactive: false,
            hosted_join: false,
            scim: None,
        }
    }

    /// Ends every session that started before `now`; `keep` spares one.
    pub fn end_sessions(&mut self, now: i64, keep: Option<SessionId>) {
        self.sessions_valid_after = now;
        self.survivor = keep.map(|s| s.to_string());
        self.revoked.clear();
    }

    /// Ends one session at once: its access token outlives the session item
    /// by up to 15 minutes, so it is remembered until then (older ones go).
    pub fn revoke_session(&mut self, sid: SessionId, now: i64) {
        self.revoked.retain(|_, until| *until >= now);
        self.revoked
            .insert(sid.to_string(), now + (ACCESS_TTL_SECS + 60) * 1000);
    }

    /// Whether a session that started at `started` (ms) is still good.
    pub fn session_valid(&self, session_id: &str, started: i64, now: i64) -> bool {
        (started >= self.sessions_valid_after || self.survivor.as_deref() == Some(session_id))
            && self
                .revoked
                .get(session_id)
                .is_none_or(|until| *until < now)
    }
}

fn stored_email<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Email, D::Error> {
    String::deserialize(d).map(Email::from_stored)
}

/// A user and its account in one consistent read; `None` if the user is gone.
pub async fn get_with_account(
    table: &dyn Table,
    aid: AccountId,
    uid: UserId,
) -> Result<Option<(User, super::Account)>> {
    let [user, account] =
        super::get_many(table, [keys::user(aid, uid), keys::account(aid)]).await?;
    match user {
        None => Ok(None),
        Some(item) => Ok(Some((
            User::from_item(item)?,
            super::accounts::required(table, aid, account).await?,
        ))),
    }
}

/// One consistent read of a user.
pub async fn get(table: &dyn Table, aid: AccountId, uid: UserId) -> Result<Option<User>> {
    match table.get(&keys::user(aid, uid), true).await? {
        Some(item) => Ok(Some(User::from_item(item)?)),
        None => Ok(None),
    }
}
