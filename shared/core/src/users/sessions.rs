//! roster's sessions: issuing one after a login, refreshing, logging out.

use crate::auth::ACCESS_TTL_SECS;
use crate::clock::now_ms;
use crate::domain::{SessionId, UserState};
use crate::error::{Error, Result};
use crate::ports::{Cond, Op};
use crate::repo::audit::Target;
use crate::repo::sessions::{self, Session, REFRESH_TTL_MS};
use crate::repo::{keys, users, Account, User};
use crate::roster::Tx;
use crate::Roster;
use serde_json::json;

use super::Caller;

/// What a successful login or refresh hands out.
#[derive(Clone)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: User,
    pub account: Account,
}

impl std::fmt::Debug for Tokens {
    /// Tokens are credentials: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("user", &self.user.id)
            .finish_non_exhaustive()
    }
}

/// A session about to be stored, and the refresh token that goes with it.
pub(crate) struct NewSession {
    pub session: Session,
    refresh_token: String,
}

/// What seals the identity provider's grant inside a session item.
const GRANT: &str = "identity grant";

impl Roster {
    /// A new session for `user`, keeping the provider's `grant` sealed.
    pub(crate) fn new_session(&self, user: &User, grant: Option<String>) -> Result<NewSession> {
        let now = now_ms();
        let sid = SessionId::new();
        let refresh = sessions::new_refresh(sid)?;
        let grant = grant
            .map(|g| self.keys.seal(GRANT, g.as_bytes()))
            .transpose()?;
        Ok(NewSession {
            session: Session {
                id: sid,
                user_id: user.id,
                account_id: user.account_id,
                refresh_hash: refresh.hash,
                previous_hash: None,
                grant,
                created: now,
                expires: now + REFRESH_TTL_MS,
                ttl: (now + REFRESH_TTL_MS) / 1000,
            },
            refresh_token: refresh.token,
        })
    }

    /// The tokens of a session that was just stored.
    pub(crate) fn tokens(&self, new: NewSession, user: User, account: Account) -> Result<Tokens> {
        let access_token = self.keys.sign_access(
            user.id,
            user.account_id,
            new.session.id,
            new.session.created,
        )?;
        Ok(Tokens {
            access_token,
            refresh_token: new.refresh_token,
            expires_in: ACCESS_TTL_SECS,
            user,
            account,
        })
    }

    /// Issues a session for a user whose credentials were just checked
    /// (`account` is its account, to return), with `extra` ops in the same
    /// transaction.
    pub(crate) async fn start_session(
        &self,
        mut user: User,
        account: Account,
        grant: Option<String>,
        extra: Option<Op>,
    ) -> Result<Tokens> {
        let new = self.new_session(&user, grant)?;
        let now = new.session.created;
        // Activity is a plain update, not a versioned one: a login must not
        // fail because an admin edited the user at the same moment.
        let mut tx = Tx::new();
        tx.push(new.session.insert_op()?);
        tx.push(
            Op::update(keys::user(user.account_id, user.id))
                .set("activity", now)
                .when(Cond::Exists),
        );
        tx.extend(extra);
        self.write(tx, |_| None).await?;
        user.activity = Some(now);
        self.tokens(new, user, account)
    }

    /// The provider's grant kept in the caller's session, if any.
    pub(crate) async fn grant_of(&self, caller: &Caller) -> Result<Option<String>> {
        if !self.identity.needs_grant() {
            return Ok(None);
        }
        let session = sessions::get(self.table.as_ref(), caller.session).await?;
        Ok(session
            .and_then(|s| s.grant)
            .and_then(|g| self.keys.open(GRANT, &g))
            .and_then(|g| String::from_utf8(g).ok()))
    }

    /// Trades a refresh token for new tokens; the old refresh token is spent.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens> {
        let refused = || Error::Unauthenticated("the refresh token is invalid or expired");
        let (sid, hash) = sessions::parse_refresh(refresh_token).ok_or_else(refused)?;
        let table = self.table.as_ref();
        let session = sessions::get(table, sid).await?.ok_or_else(refused)?;
        let now = now_ms();
        if session.refresh_hash != hash {
            if session.previous_hash.as_deref() == Some(hash.as_str()) {
                // The token the last refresh spent came back: someone holds a
                // copy. The session ends, its access token at once.
                self.end_copied_session(&session).await?;
            }
            // Any other secret is a guess: it changes nothing.
            return Err(refused());
        }
        if session.expires < now {
            return Err(refused());
        }
        let (user, account) = users::get_with_account(table, session.account_id, session.user_id)
            .await?
            .ok_or_else(refused)?;
        if user.state != UserState::Active
            || !user.session_valid(&sid.to_string(), session.created, now)
        {
            return Err(refused());
        }
        let next = sessions::new_refresh(sid)?;
        let mut tx = Tx::new();
        tx.push(session.rotate_op(&next.hash, now + REFRESH_TTL_MS));
        // A lost race means another refresh spent this token first.
        self.write(tx, |_| Some(refused())).await?;
        let access_token = self
            .keys
            .sign_access(user.id, user.account_id, sid, session.created)?;
        Ok(Tokens {
            access_token,
            refresh_token: next.token,
            expires_in: ACCESS_TTL_SECS,
            user,
            account,
        })
    }

    /// Deletes a session whose refresh token was copied and revokes its
    /// current access token on the user item (read on every request).
    async fn end_copied_session(&self, session: &Session) -> Result<()> {
        let table = self.table.as_ref();
        let Some(user) = users::get(table, session.account_id, session.user_id).await? else {
            let mut tx = Tx::new();
            tx.push(sessions::delete_op(session.id));
            return self.write(tx, |_| None).await;
        };
        self.change_user(
            &user,
            |user, tx| {
                user.revoke_session(session.id, now_ms());
                tx.push(sessions::delete_op(session.id));
                Ok(())
            },
            |_| None,
        )
        .await?;
        Ok(())
    }

    /// Ends this session, or with `all` every session of the caller.
    pub async fn logout(&self, caller: &Caller, all: bool) -> Result<()> {
        self.change_user(
            &caller.user,
            |user, tx| {
                let now = now_ms();
                if all {
                    user.end_sessions(now, None);
                    let target = Target::user(user);
                    tx.push(self.audit(user, "user/logoutAll", target, json!({}))?);
                } else {
                    user.revoke_session(caller.session, now);
                }
                tx.push(sessions::delete_op(caller.session));
                Ok(())
            },
            |_| None,
        )
        .await?;
        Ok(())
    }
}
