//! An invitee asking, without signing in, for its invite again (the hosted
//! API's `resend_user_email {username}`). The answer is the same for every
//! input — an address with no pending invite, a malformed one, or a full
//! window — and comes after the same time, [`RESEND_ANSWER`], so it tells
//! nobody whether an address was invited: the work runs on its own task,
//! and one that takes longer finishes after the answer. At most 3 such
//! mails per address per hour. Anyone may ask; each mail is a new link and
//! the old one stops working, but the new one goes to the same mailbox.

use std::time::Duration;

use tracing::Instrument;

use serde_json::json;

use crate::domain::{Email, UserState};
use crate::error::Result;
use crate::repo::audit::{Actor, Target};
use crate::repo::{accounts, claims, limits, users, User};
use crate::Roster;

use super::invite::invite_mail_from;
/// Accounts one request sends an invite of (an address is rarely invited
/// into more than one at a time).
const MAX_ACCOUNTS: usize = 5;

/// When the answer comes, whatever was done: longer than sending the
/// invites of [`MAX_ACCOUNTS`] accounts takes on a healthy backend.
pub const RESEND_ANSWER: Duration = Duration::from_millis(1_000);

impl Roster {
    /// Sends every pending invite of `email` again, with a new link each
    /// (the old links stop working).
    /// Never fails: what happens is logged, and the answer stays the same
    /// (a concurrent request that rotated the link first is a lost race, not
    /// an error).
    pub async fn resend_invite_by_email(&self, email: &str) {
        let answer = tokio::time::sleep(RESEND_ANSWER);
        if let Ok(email) = Email::parse(email) {
            let roster = self.clone();
            let work = tokio::spawn(
                async move {
                    if let Err(e) = roster.resend_to(&email).await {
                        tracing::warn!(error = %e, "invite not sent again");
                    }
                }
                .instrument(tracing::Span::current()),
            );
            // Waits for the work, but never past the answer's time.
            let _ = tokio::time::timeout(RESEND_ANSWER, work).await;
        }
        answer.await;
    }

    async fn resend_to(&self, email: &Email) -> Result<()> {
        let table = self.table.as_ref();
        if !limits::INVITE_MAIL.take(table, email, None).await? {
            return Ok(());
        }
        for (aid, invited) in claims::invites_of(table, email, MAX_ACCOUNTS).await? {
            let Some(user) = users::get(table, aid, invited.user_id).await? else {
                continue;
            };
            if user.state != UserState::Pending || user.email != *email {
                continue;
            }
            // One account's trouble doesn't keep the others' invites back.
            if let Err(e) = self.resend_in(user).await {
                tracing::warn!(error = %e, account = %aid, "invite not sent again");
            }
        }
        Ok(())
    }

    async fn resend_in(&self, user: User) -> Result<()> {
        let aid = user.account_id;
        let account = accounts::require(self.table.as_ref(), aid).await?;
        let audit = self.audit_by(
            aid,
            Actor::user(&user),
            "user/resendInvite",
            Target::user(&user),
            json!({"unauthenticated": true}),
        )?;
        let (user, url) = self.rotate_invite(user, Some(audit)).await?;
        let inviter = format!("An admin of {}", account.name);
        let mail = invite_mail_from(&inviter, &user, &url, &account, self.settings.invite_ttl_ms);
        // The answer is the same whatever happens here.
        if let Err(e) = self.mailer.send(&mail).await {
            tracing::error!(error = %e, "invite e-mail not sent");
        }
        Ok(())
    }
}
