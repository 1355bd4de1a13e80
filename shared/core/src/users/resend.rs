//! An invitee asking, without signing in, for its invite again (the hosted
//! API's `resend_user_email {username}`). The answer is the same for every
//! input — an address with no pending invite, a malformed one, or a full
//! window — and takes the same time, so it tells nobody whether an address
//! was invited. At most 3 such mails per address per hour.

use std::time::Instant;

use serde_json::json;

use crate::domain::{Email, UserState};
use crate::error::Result;
use crate::repo::audit::{Actor, Target};
use crate::repo::{accounts, claims, limits, users};
use crate::Roster;

use super::invite::invite_mail_from;
use super::password::pace;

/// Accounts one request sends an invite of (an address is rarely invited
/// into more than one at a time).
const MAX_ACCOUNTS: usize = 5;

impl Roster {
    /// Sends every pending invite of `email` again, with a new link each
    /// (the old links stop working).
    /// Never fails: what happens is logged, and the answer stays the same
    /// (a concurrent request that rotated the link first is a lost race, not
    /// an error).
    pub async fn resend_invite_by_email(&self, email: &str) {
        let started = Instant::now();
        if let Ok(email) = Email::parse(email) {
            if let Err(e) = self.resend_to(&email).await {
                tracing::warn!(error = %e, "invite not sent again");
            }
        }
        pace(started).await;
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
            let account = accounts::require(table, aid).await?;
            let audit = self.audit_by(
                aid,
                Actor::user(&user),
                "user/resendInvite",
                Target::user(&user),
                json!({"requestedBy": "invitee"}),
            )?;
            let (user, url) = self.rotate_invite(user, Some(audit)).await?;
            let inviter = format!("An admin of {}", account.name);
            let mail = invite_mail_from(&inviter, &user, &url, &account);
            // The answer is the same whatever happens here.
            if let Err(e) = self.mailer.send(&mail).await {
                tracing::error!(error = %e, "invite e-mail not sent");
            }
        }
        Ok(())
    }
}
