//! Who is calling: one signature check and one consistent read of the caller.

use crate::clock::now_ms;
use crate::domain::{SessionId, UserState};
use crate::error::{Error, Result};
use crate::repo::audit::Actor;
use crate::repo::{users, User};
use crate::Roster;

/// An authenticated caller, as its user item reads right now.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub session: SessionId,
    /// When the session started (ms): a password (or MFA) login.
    pub session_started: i64,
    /// Who the audit log names: the user, or the SCIM token that acts for
    /// the account (then `user` is a stand-in admin that is never stored;
    /// see `scim::tokens`).
    pub actor: Actor,
    /// Whether `user` is such a stand-in: it is nobody, and never "self".
    pub stand_in: bool,
}

impl Caller {
    /// Whether `uid` is the caller itself (a SCIM token's stand-in is no one).
    pub fn is(&self, uid: crate::domain::UserId) -> bool {
        !self.stand_in && self.user.id == uid
    }

    /// Whether the caller's session is still good on `user` as it now stands:
    /// what a write re-applied after a race checks, so that it cannot
    /// outlive a sign-out that landed in between.
    pub fn still_signed_in(&self, user: &User) -> bool {
        user.state == UserState::Active
            && user.session_valid(&self.session.to_string(), self.session_started, now_ms())
    }
}

impl Roster {
    /// Checks an access token and reads its user, so a removal, a disable, a
    /// role change or "log out everywhere" acts on the very next request.
    pub async fn authenticate(&self, access_token: &str) -> Result<Caller> {
        let subject = self.keys.verify_access(access_token)?;
        let user = users::get(self.table.as_ref(), subject.account, subject.user)
            .await?
            .ok_or(Error::Unauthenticated("the session has ended"))?;
        if user.state != UserState::Active {
            return Err(Error::Unauthenticated("the session has ended"));
        }
        if !user.session_valid(
            &subject.session.to_string(),
            subject.session_started,
            now_ms(),
        ) {
            return Err(Error::Unauthenticated("the session has ended"));
        }
        Ok(Caller {
            actor: Actor::user(&user),
            stand_in: false,
            user,
            session: subject.session,
            session_started: subject.session_started,
        })
    }
}
