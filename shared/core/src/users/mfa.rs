//! TOTP MFA: enrolment, turning it off, recovery codes, an admin's reset.
//! (The codes themselves: `codes.rs`.)
//!
//! The identity provider holds the TOTP factor (Cognito in AWS; argon2 +
//! RFC 6238 in the embedded identity). What roster promises beyond it is its
//! own state on the user item, the same on both backends:
//! - recovery codes, 10 at a time, shown once and kept as SHA-256 hashes
//!   (80 random bits each, so a hash can't be searched back to its code);
//! - a TOTP code completes one login at most (codes used at login are kept,
//!   hashed, while they could still be valid);
//! - turning MFA on or off ends the user's other sessions, and the user gets
//!   a mail saying so;
//! - enrolling needs a recent password login (see [`RECENT_LOGIN_MS`]): a
//!   stolen session alone must not be able to put the account behind the
//!   thief's device.

use crate::clock::now_ms;
use crate::domain::UserState;
use crate::error::{Error, Result};
use crate::mail;
use crate::policy::{self, Managing};
use crate::repo::audit::Target;
use crate::repo::{limits, User};
use crate::Roster;
use serde_json::json;

use super::codes::{new_recovery_codes, parse_code, recovery_hash, spend_recovery, Code};
use super::{Caller, UserRef};

/// Enrolling takes a session whose password login is at most this old (the
/// life of one access token); a refresh doesn't make a session younger.
pub const RECENT_LOGIN_MS: i64 = 15 * 60 * 1000;

/// What `user/mfaSecret` answers.
pub struct MfaSecret {
    /// Base32, for manual entry.
    pub secret: String,
    /// `otpauth://totp/<issuer>:<email>?secret=…&issuer=…`, for the QR code.
    pub otpauth_uri: String,
}

impl std::fmt::Debug for MfaSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaSecret(***)")
    }
}

fn wrong_code() -> Error {
    Error::invalid("code", "the code is wrong")
}

fn signed_out() -> Error {
    Error::Unauthenticated("the session has ended")
}

/// Refuses a session whose login is older than [`RECENT_LOGIN_MS`].
fn require_recent_login(caller: &Caller) -> Result<()> {
    if now_ms() - caller.session_started > RECENT_LOGIN_MS {
        return Err(Error::Forbidden(
            "setting up MFA takes a recent login: log in again with your password",
        ));
    }
    Ok(())
}

impl Roster {
    /// The provider's grant for MFA calls on the caller's behalf, when the
    /// provider needs one (Cognito: for `AssociateSoftwareToken` and
    /// `VerifySoftwareToken`). A session from a recovery code or a hosted-UI
    /// token has none.
    async fn mfa_grant(&self, caller: &Caller) -> Result<Option<String>> {
        let grant = self.grant_of(caller).await?;
        if self.identity.needs_grant() && grant.is_none() {
            return Err(Error::Forbidden(
                "this session can't change MFA: log in again with your password (and a TOTP code)",
            ));
        }
        Ok(grant)
    }

    /// A new TOTP secret for the caller, pending until `setMfa` confirms it.
    /// Refused while MFA is on: with Cognito, a new secret silently replaces
    /// the enrolled one, so a device is changed by turning MFA off and on.
    pub async fn mfa_secret(&self, caller: &Caller) -> Result<MfaSecret> {
        require_own_login(&caller.user)?;
        require_recent_login(caller)?;
        if caller.user.mfa {
            return Err(Error::conflict(
                "mfa",
                "MFA is already on; turn it off to enrol another device",
            ));
        }
        let grant = self.mfa_grant(caller).await?;
        let secret = self
            .identity
            .start_totp(&caller.user.id.to_string(), grant.as_deref())
            .await?;
        let otpauth_uri = otpauth_uri(
            &self.settings.mfa_issuer,
            caller.user.email.as_str(),
            &secret,
        );
        Ok(MfaSecret {
            secret,
            otpauth_uri,
        })
    }

    /// Turns MFA on with a code of the pending secret (answering the new
    /// recovery codes), or off with a TOTP or recovery code. Either ends the
    /// caller's other sessions.
    pub async fn set_mfa(
        &self,
        caller: &Caller,
        enabled: bool,
        code: &str,
    ) -> Result<Option<Vec<String>>> {
        require_own_login(&caller.user)?;
        let login = caller.user.id.to_string();
        if enabled {
            if caller.user.mfa {
                return Err(Error::conflict("enabled", "MFA is already on"));
            }
            require_recent_login(caller)?;
            let Some(Code::Totp(code)) = parse_code(code) else {
                return Err(wrong_code());
            };
            let grant = self.mfa_grant(caller).await?;
            if !self
                .identity
                .confirm_totp(&login, grant.as_deref(), &code)
                .await?
            {
                return Err(wrong_code());
            }
            let (_, shown) = self
                .change_user(
                    &caller.user,
                    |user, tx| {
                        // Checked again on the user as it now stands: a
                        // sign-out or another enrolment may have landed.
                        if !caller.still_signed_in(user) {
                            return Err(signed_out());
                        }
                        if user.mfa {
                            return Err(Error::conflict("enabled", "MFA is already on"));
                        }
                        let (shown, hashes) = new_recovery_codes(user)?;
                        user.mfa = true;
                        user.recovery = hashes;
                        user.end_sessions(now_ms(), Some(caller.session));
                        let detail = json!({"enabled": true});
                        tx.push(self.audit(user, "user/setMfa", Target::user(user), detail)?);
                        Ok(shown)
                    },
                    |_| None,
                )
                .await?;
            self.tell(mail::mfa_changed(caller.user.email.as_str(), true, false))
                .await;
            return Ok(Some(shown));
        }
        if !caller.user.mfa {
            return Err(Error::conflict("enabled", "MFA is already off"));
        }
        let code = self.checked_code(caller, code, true).await?;
        self.identity.disable_totp(&login).await?;
        self.change_user(
            &caller.user,
            |user, tx| {
                if !caller.still_signed_in(user) {
                    return Err(signed_out());
                }
                if let Code::Recovery(compact) = &code {
                    // Spent whatever happens next; a parallel use fails here.
                    if !spend_recovery(user, compact) {
                        return Err(wrong_code());
                    }
                }
                user.mfa = false;
                user.recovery.clear();
                user.end_sessions(now_ms(), Some(caller.session));
                tx.push(limits::LOGIN.clear_op(&user.email));
                let detail = json!({"enabled": false});
                tx.push(self.audit(user, "user/setMfa", Target::user(user), detail)?);
                Ok(())
            },
            |_| None,
        )
        .await?;
        self.tell(mail::mfa_changed(caller.user.email.as_str(), false, false))
            .await;
        Ok(None)
    }

    /// Ten new recovery codes for a TOTP code; the old ones are void.
    pub async fn regenerate_recovery_codes(
        &self,
        caller: &Caller,
        code: &str,
    ) -> Result<Vec<String>> {
        require_own_login(&caller.user)?;
        if !caller.user.mfa {
            return Err(Error::conflict(
                "code",
                "MFA is off: there are no recovery codes",
            ));
        }
        self.checked_code(caller, code, false).await?;
        let (_, shown) = self
            .change_user(
                &caller.user,
                |user, tx| {
                    if !caller.still_signed_in(user) {
                        return Err(signed_out());
                    }
                    if !user.mfa {
                        return Err(Error::conflict(
                            "code",
                            "MFA is off: there are no recovery codes",
                        ));
                    }
                    let (shown, hashes) = new_recovery_codes(user)?;
                    user.recovery = hashes;
                    tx.push(limits::LOGIN.clear_op(&user.email));
                    let target = Target::user(user);
                    tx.push(self.audit(user, "user/regenerateRecoveryCodes", target, json!({}))?);
                    Ok(shown)
                },
                |_| None,
            )
            .await?;
        Ok(shown)
    }

    /// Checks a code of the caller's enrolled factor outside a login: a TOTP
    /// code (the provider checks it) or, when `recovery` allows, a recovery
    /// code (roster does). Each try is taken from the caller's login limit
    /// first, as a password guess would be: holding an access token must not
    /// buy unlimited guesses at the second factor.
    async fn checked_code(&self, caller: &Caller, raw: &str, recovery: bool) -> Result<Code> {
        let code = match parse_code(raw) {
            Some(Code::Recovery(_)) if !recovery => return Err(wrong_code()),
            Some(code) => code,
            None => return Err(wrong_code()),
        };
        if !limits::LOGIN
            .take(self.table.as_ref(), &caller.user.email, None)
            .await?
        {
            return Err(Error::RateLimited);
        }
        let right = match &code {
            Code::Totp(totp) => {
                let grant = self.mfa_grant(caller).await?;
                self.identity
                    .check_totp(&caller.user.id.to_string(), grant.as_deref(), totp)
                    .await?
            }
            Code::Recovery(compact) => {
                let h = recovery_hash(&caller.user, compact);
                caller.user.recovery.contains(&h)
            }
        };
        if right {
            Ok(code)
        } else {
            Err(wrong_code())
        }
    }

    /// An admin turns off another user's MFA (lost device) and signs the user
    /// out everywhere; the user enrols again after logging in.
    pub async fn reset_mfa(&self, caller: &Caller, target: UserRef) -> Result<User> {
        policy::require_admin(&caller.user)?;
        let user = self.find_user(caller, &target).await?;
        policy::require_may_manage(&caller.user, &user, Managing::Mfa)?;
        if user.idp.is_none() && user.state != UserState::Pending {
            self.identity.disable_totp(&user.id.to_string()).await?;
        }
        let (user, ()) = self
            .change_user(
                &user,
                |user, tx| {
                    user.mfa = false;
                    user.recovery.clear();
                    user.used_codes.clear();
                    user.end_sessions(now_ms(), None);
                    let target = Target::user(user);
                    tx.push(self.audit_for(caller, "user/resetMfa", target, json!({}))?);
                    Ok(())
                },
                |_| None,
            )
            .await?;
        if user.state != UserState::Pending {
            self.tell(mail::mfa_changed(user.email.as_str(), false, true))
                .await;
        }
        Ok(user)
    }

    /// Sends a notice; the change it reports is done, so a failure is logged.
    async fn tell(&self, mail: crate::ports::Mail) {
        if let Err(e) = self.mailer.send(&mail).await {
            tracing::warn!(error = %e, "notice e-mail not sent");
        }
    }
}

/// A hosted-UI user's second factor lives in the user pool.
fn require_own_login(user: &User) -> Result<()> {
    if user.idp.is_some() {
        return Err(Error::Forbidden(
            "this user logs in through the hosted UI; MFA is set up there",
        ));
    }
    Ok(())
}

/// The key URI authenticator apps read (Google's "Key Uri Format").
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let issuer_enc = percent(issuer, b"");
    format!(
        "otpauth://totp/{issuer_enc}:{account}?secret={secret}&issuer={issuer_enc}",
        account = percent(account, b"@"),
    )
}

/// Percent-encodes all but RFC 3986's unreserved characters and `keep`.
fn percent(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_otpauth_uri_names_issuer_and_account() {
        assert_eq!(
            otpauth_uri("Acme Co", "ann@example.com", "JBSWY3DP"),
            "otpauth://totp/Acme%20Co:ann@example.com?secret=JBSWY3DP&issuer=Acme%20Co"
        );
    }
}
