//! Passwords: changing one's own, and resetting a forgotten one by mail.
//!
//! Every flow that sets a password holds the login's password lock while it
//! does (`repo::password_locks`): the password set is always the one the
//! recorded change names.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::clock::{next_ulid, now_ms};
use crate::domain::{Email, Password, UserId, UserState};
use crate::error::{Error, Result};
use crate::mail;
use crate::ports::{Cond, Op, PasswordCheck};
use crate::repo::audit::Target;
use crate::repo::claims::EmailClaim;
use crate::repo::codec::from_item;
use crate::repo::tokens::{self, Kind, NewToken, TokenRecord};
use crate::repo::{get_many, keys, limits, password_locks, users, User};
use crate::roster::{OpId, Tx};
use crate::Roster;
use serde_json::json;

use super::Caller;

/// Public answers that must not tell whether an e-mail has a user
/// (`forgotPassword`, registration) take at least this long, so the mail
/// that goes out for one and not the other doesn't show in the timing.
pub(crate) const UNIFORM_ANSWER: Duration = Duration::from_millis(300);

/// Waits until `started + UNIFORM_ANSWER`.
pub(crate) async fn pace(started: Instant) {
    if let Some(rest) = UNIFORM_ANSWER.checked_sub(started.elapsed()) {
        tokio::time::sleep(rest).await;
    }
}

impl Roster {
    /// Takes `uid`'s password lock for this request; `busy` when another
    /// request holds it. `checks` go in the same transaction: what allows
    /// this request to set the password (its link still unspent, …), since a
    /// request that read it before another finished can take the lock after
    /// that one released it; `busy` too when one fails. Returns the holder's
    /// name.
    pub(crate) async fn lock_password(
        &self,
        uid: UserId,
        busy: fn() -> Error,
        checks: Vec<Op>,
    ) -> Result<String> {
        let holder = next_ulid().to_string();
        let mut tx = Tx::new();
        tx.push(password_locks::lock_op(uid, &holder, now_ms()));
        tx.extend(checks);
        self.write(tx, |_| Some(busy())).await?;
        Ok(holder)
    }

    /// Runs `work` (which sets the password and commits with
    /// [`password_locks::release_op`]) under `uid`'s password lock, taken
    /// with `checks` (see [`Roster::lock_password`]); on failure the lock is
    /// released at once.
    pub(crate) async fn under_password_lock<T, F>(
        &self,
        uid: UserId,
        busy: fn() -> Error,
        checks: Vec<Op>,
        work: impl FnOnce(String) -> F,
    ) -> Result<T>
    where
        F: Future<Output = Result<T>>,
    {
        let holder = self.lock_password(uid, busy, checks).await?;
        let result = work(holder.clone()).await;
        if result.is_err() {
            let mut tx = Tx::new();
            tx.push(password_locks::release_op(uid, &holder));
            if let Err(e) = self.write(tx, |_| None).await {
                tracing::warn!(error = %e, "password lock not released; it expires by itself");
            }
        }
        result
    }

    /// Checks the current password, sets the new one and signs the user out
    /// everywhere, this session included: whoever knew the old password is
    /// out, and the client logs in again with the new one. A wrong current
    /// password counts against the same limit as a failed login.
    pub async fn change_password(&self, caller: &Caller, current: &str, new: &str) -> Result<()> {
        if caller.user.idp.is_some() {
            return Err(Error::Forbidden(
                "this user logs in through the hosted UI; change the password there",
            ));
        }
        let password = Password::parse(new, &caller.user.email)?;
        let email = &caller.user.email;
        if !limits::LOGIN.take(self.table.as_ref(), email, None).await? {
            return Err(Error::RateLimited);
        }
        let login = caller.user.id.to_string();
        if let PasswordCheck::Refused = self.identity.check_password(Some(&login), current).await? {
            return Err(Error::invalid(
                "currentPassword",
                "the current password is wrong",
            ));
        }
        let holder = self.lock_password(caller.user.id, busy, Vec::new()).await?;
        if let Err(e) = self.identity.set_password(&login, password.as_str()).await {
            let mut tx = Tx::new();
            tx.push(password_locks::release_op(caller.user.id, &holder));
            if let Err(e) = self.write(tx, |_| None).await {
                tracing::warn!(error = %e, "password lock not released; it expires by itself");
            }
            return Err(e.into());
        }
        // The password has changed: the sessions end, whatever else was
        // written to the user meanwhile, and whether or not the lock is still
        // held (it only keeps two changes from interleaving).
        self.change_user(
            &caller.user,
            |user, tx| {
                let now = now_ms();
                user.end_sessions(now, None);
                user.password_changed = now;
                tx.push(password_locks::drop_op(user.id));
                tx.push(limits::LOGIN.clear_op(&user.email));
                let target = Target::user(user);
                tx.push(self.audit(user, "user/changePassword", target, json!({}))?);
                Ok(())
            },
            |_| None,
        )
        .await?;
        Ok(())
    }

    /// Mails a reset link when `email` belongs to an active user with a
    /// password; answers the same, in about the same time, for every
    /// address. At most 3 such mails per address per hour.
    /// Not even a malformed address answers otherwise (DESIGN: "the same for
    /// every input"): it has no user, which is all the answer could say.
    pub async fn forgot_password(&self, email: &str) -> Result<()> {
        let started = Instant::now();
        let result = match Email::parse(email) {
            Ok(email) => self.send_reset(&email).await,
            Err(_) => Ok(()),
        };
        pace(started).await;
        result
    }

    async fn send_reset(&self, email: &Email) -> Result<()> {
        let table = self.table.as_ref();
        let [sent, claim] = get_many(
            table,
            [limits::RESET_MAIL.key(email), keys::email_claim(email)],
        )
        .await?;
        if !limits::RESET_MAIL.take(table, email, Some(sent)).await? {
            return Ok(());
        }
        let Some(claim) = claim.map(from_item::<EmailClaim>).transpose()? else {
            return Ok(());
        };
        let Some(user) = users::get(table, claim.account_id, claim.user_id).await? else {
            return Ok(());
        };
        // Pending users have no password yet (their invite sets one); a
        // disabled one can't log in; a hosted-UI user's is the pool's.
        if user.state != UserState::Active || user.idp.is_some() {
            return Ok(());
        }
        let token = NewToken::reset(user.id, user.account_id, email)?;
        let mut tx = Tx::new();
        tx.push(token.insert_op()?);
        self.write(tx, |_| None).await?;
        let url = self.link("reset", &token.secret);
        let mail = mail::reset(email.as_str(), &url, token.record.expires);
        // The answer is the same whatever happens here: a failure must not
        // tell that this address has a user. The user asks again.
        if let Err(e) = self.mailer.send(&mail).await {
            tracing::error!(error = %e, "reset e-mail not sent");
        }
        Ok(())
    }

    /// Sets a new password from a reset link, spends the link and ends every
    /// session. MFA stays as it is: the next login still asks for a code.
    pub async fn reset_password(&self, token: &str, password: &str) -> Result<()> {
        let table = self.table.as_ref();
        let found = tokens::find(table, token, &[Kind::Reset]).await?;
        let (aid, uid) = (found.record.account_id, found.record.user_id);
        let user = users::get(table, aid, uid)
            .await?
            .ok_or_else(|| found.invalid())?;
        if !reset_link_works(&found.record, &user) {
            return Err(found.invalid());
        }
        let password = Password::parse(password, &user.email)?;
        // Checked with the lock: another reset (or a change) may have
        // finished since, spending this link or voiding it.
        let checks = vec![
            tokens::unspent_op(&found.hash),
            Op::check(
                keys::user(aid, uid),
                Cond::And(vec![
                    Cond::Eq("state".into(), "active".into()),
                    Cond::Or(vec![
                        Cond::AttrNotExists("passwordChanged".into()),
                        Cond::Less("passwordChanged".into(), found.record.issued),
                    ]),
                ]),
            ),
        ];
        self.under_password_lock(uid, link_in_use, checks, |holder| async move {
            self.identity
                .set_password(&uid.to_string(), password.as_str())
                .await?;
            let spent: Mutex<Option<OpId>> = Mutex::new(None);
            self.change_user(
                &user,
                |user, tx| {
                    if !reset_link_works(&found.record, user) {
                        return Err(found.invalid());
                    }
                    let now = now_ms();
                    user.end_sessions(now, None);
                    user.password_changed = now;
                    let op = tx.push(tokens::spend_op(&found.hash));
                    if let Ok(mut spent) = spent.lock() {
                        *spent = Some(op);
                    }
                    tx.push(password_locks::release_op(uid, &holder));
                    // The mailbox's owner is back in: earlier failures go.
                    tx.push(limits::LOGIN.clear_op(&user.email));
                    let target = Target::user(user);
                    tx.push(self.audit(user, "user/resetPassword", target, json!({}))?);
                    Ok(())
                },
                |failed: OpId| {
                    let spent = spent.lock().ok().and_then(|s| *s);
                    Some(if Some(failed) == spent {
                        found.used()
                    } else {
                        link_in_use()
                    })
                },
            )
            .await
        })
        .await?;
        Ok(())
    }
}

/// Whether a reset link still works for its user.
fn reset_link_works(record: &TokenRecord, user: &User) -> bool {
    user.state == UserState::Active
        && user.idp.is_none()
        && user.email.as_str() == record.email.as_deref().unwrap_or_default()
        // A password set since the link was sent voids it.
        && record.issued > user.password_changed
}

/// A reset link another request is using right now.
fn link_in_use() -> Error {
    tokens::used(Kind::Reset)
}

/// Another request is setting this login's password right now.
fn busy() -> Error {
    Error::conflict(
        "password",
        "the password is being changed by another request; try again",
    )
}
