//! `Identity` on a Cognito user pool. The login name is the roster user id.
//!
//! - Logins are created at signup with `AdminCreateUser` (no Cognito mail)
//!   and `AdminSetUserPassword`, both safe to repeat after a crash between
//!   them. Passwords are checked with `AdminInitiateAuth`
//!   (`ADMIN_USER_PASSWORD_AUTH`); an unknown user is checked against a name
//!   that never exists, so it costs the same round trip.
//! - The pool never sees a user's password itself but a fixed-form string
//!   derived from it ([`pool_password`]): roster's password policy is the
//!   only one, and no pool policy (or emulator: moto refuses 99 characters
//!   or more) can refuse a password roster accepted. roster-created logins are
//!   named by user id and used only by roster, so nothing else needs the
//!   user's own password in the pool.
//! - TOTP: `AssociateSoftwareToken` and `VerifySoftwareToken` act for the
//!   user with an access token, got from the *grant* roster keeps sealed in
//!   its session (the pool's refresh token, `REFRESH_TOKEN_AUTH`);
//!   `AdminSetUserMFAPreference` turns MFA on (`Enabled` and `PreferredMfa`)
//!   and off; `AdminRespondToAuthChallenge` answers `SOFTWARE_TOKEN_MFA`.
//! - Throttling and no answer at all are `Unavailable`.

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFlowType, AuthenticationResultType, ChallengeNameType, MessageActionType,
    SoftwareTokenMfaSettingsType, VerifySoftwareTokenResponseType,
};
use aws_sdk_cognitoidentityprovider::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use roster_core::crypto::{b64, sha256};
use roster_core::ports::{CodeCheck, Identity, PasswordCheck, PortError};

use crate::lazy::Lazy;

/// A login name that is never created (not a ULID: it has a `-`).
const NOBODY: &str = "roster-nobody";

pub struct CognitoIdentity {
    client: Lazy<Client>,
    pool: String,
    app_client: String,
}

impl CognitoIdentity {
    pub fn new(
        client: Lazy<Client>,
        pool: impl Into<String>,
        app_client: impl Into<String>,
    ) -> Self {
        CognitoIdentity {
            client,
            pool: pool.into(),
            app_client: app_client.into(),
        }
    }
}

/// What the pool stores as the password: a fixed prefix that meets every
/// character-class rule a pool can set, then a hash of the user's password
/// (47 characters, no spaces). Unkeyed on purpose: rotating roster's
/// signing key must not lock everybody out.
pub fn pool_password(password: &str) -> String {
    let digest = sha256(format!("roster pool password v1\0{password}").as_bytes());
    format!("Rr1!{}", b64(&digest))
}

/// An SDK failure as a port error: a passing fault is `Unavailable`.
fn port_err<E: ProvideErrorMetadata + std::fmt::Debug>(
    what: &str,
    e: SdkError<E, HttpResponse>,
) -> PortError {
    if crate::faults::transient(&e) {
        return PortError::Unavailable(format!(
            "Cognito {what}: {}",
            e.code().unwrap_or("no answer")
        ));
    }
    match e.code() {
        Some("InvalidPasswordException") => {
            PortError::Invalid("the identity provider refused this password".into())
        }
        _ => PortError::Internal(format!("Cognito {what}: {e:?}")),
    }
}

/// A login that is not there (a pending user never had one) is already in the
/// state asked for.
fn ignore_missing<T, E: ProvideErrorMetadata + std::fmt::Debug>(
    what: &str,
    r: Result<T, SdkError<E, HttpResponse>>,
) -> Result<(), PortError> {
    match r {
        Ok(_) => Ok(()),
        Err(e) if e.code() == Some("UserNotFoundException") => Ok(()),
        Err(e) => Err(port_err(what, e)),
    }
}

/// Codes that mean "the code (or the session) is wrong", not a fault.
fn code_refused(code: Option<&str>) -> bool {
    matches!(
        code,
        Some(
            "CodeMismatchException"
                | "EnableSoftwareTokenMFAException"
                // No secret was associated (no `mfaSecret` first).
                | "SoftwareTokenMFANotFoundException"
                | "ExpiredCodeException"
                | "NotAuthorizedException"
                | "InvalidParameterException"
        )
    )
}

/// One `Admin…User` call on the pool that names only the user; a missing
/// login is already in the state asked for.
macro_rules! admin_user_call {
    ($self:ident, $method:ident, $what:literal, $login:expr) => {{
        let out = $self
            .client
            .get()
            .$method()
            .user_pool_id(&$self.pool)
            .username($login)
            .send()
            .await;
        ignore_missing($what, out)
    }};
}

fn grant_of(result: Option<AuthenticationResultType>) -> Option<String> {
    result.and_then(|r| r.refresh_token)
}

impl CognitoIdentity {
    /// An access token for the user, from the grant kept in its session.
    async fn access_token(&self, grant: Option<&str>) -> Result<String, PortError> {
        let Some(grant) = grant else {
            return Err(PortError::Expired("no grant in this session".into()));
        };
        let out = self
            .client
            .get()
            .admin_initiate_auth()
            .user_pool_id(&self.pool)
            .client_id(&self.app_client)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", grant)
            .send()
            .await;
        match out {
            Ok(out) => out
                .authentication_result
                .and_then(|r| r.access_token)
                .ok_or_else(|| PortError::Expired("the refresh gave no access token".into())),
            Err(e) if e.code() == Some("NotAuthorizedException") => {
                Err(PortError::Expired("the pool refused the grant".into()))
            }
            Err(e) => Err(port_err("AdminInitiateAuth (refresh)", e)),
        }
    }

    /// `VerifySoftwareToken`: whether `code` is right for the user's
    /// associated secret.
    async fn verify(&self, grant: Option<&str>, code: &str) -> Result<bool, PortError> {
        let access = self.access_token(grant).await?;
        let out = self
            .client
            .get()
            .verify_software_token()
            .access_token(access)
            .user_code(code)
            .send()
            .await;
        match out {
            Ok(out) => Ok(out.status == Some(VerifySoftwareTokenResponseType::Success)),
            Err(e) if code_refused(e.code()) => Ok(false),
            Err(e) => Err(port_err("VerifySoftwareToken", e)),
        }
    }

    async fn set_mfa(&self, login: &str, on: bool) -> Result<(), PortError> {
        let settings = SoftwareTokenMfaSettingsType::builder()
            .enabled(on)
            .preferred_mfa(on)
            .build();
        let out = self
            .client
            .get()
            .admin_set_user_mfa_preference()
            .user_pool_id(&self.pool)
            .username(login)
            .software_token_mfa_settings(settings)
            .send()
            .await;
        ignore_missing("AdminSetUserMFAPreference", out)
    }
}

#[async_trait]
impl Identity for CognitoIdentity {
    async fn create_login(
        &self,
        login: &str,
        email: &str,
        password: &str,
    ) -> Result<(), PortError> {
        let c = self.client.get();
        let email_attr = AttributeType::builder()
            .name("email")
            .value(email)
            .build()
            .map_err(|e| PortError::Internal(format!("attribute: {e}")))?;
        let created = c
            .admin_create_user()
            .user_pool_id(&self.pool)
            .username(login)
            .message_action(MessageActionType::Suppress)
            .user_attributes(email_attr)
            .send()
            .await;
        match created {
            Ok(_) => {}
            // A retry after a crash between the two calls.
            Err(e) if e.code() == Some("UsernameExistsException") => {}
            Err(e) => return Err(port_err("AdminCreateUser", e)),
        }
        self.set_password(login, password).await
    }

    async fn set_password(&self, login: &str, password: &str) -> Result<(), PortError> {
        self.client
            .get()
            .admin_set_user_password()
            .user_pool_id(&self.pool)
            .username(login)
            .password(pool_password(password))
            .permanent(true)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| port_err("AdminSetUserPassword", e))
    }

    async fn check_password(
        &self,
        login: Option<&str>,
        password: &str,
    ) -> Result<PasswordCheck, PortError> {
        let out = self
            .client
            .get()
            .admin_initiate_auth()
            .user_pool_id(&self.pool)
            .client_id(&self.app_client)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", login.unwrap_or(NOBODY))
            .auth_parameters("PASSWORD", pool_password(password))
            .send()
            .await;
        match out {
            Ok(out) if out.authentication_result.is_some() => Ok(PasswordCheck::Ok {
                grant: grant_of(out.authentication_result),
            }),
            Ok(out) => match (out.challenge_name, out.session) {
                (Some(ChallengeNameType::SoftwareTokenMfa), Some(session)) => {
                    Ok(PasswordCheck::MfaRequired { session })
                }
                (name, _) => Err(PortError::Internal(format!(
                    "Cognito AdminInitiateAuth: unexpected challenge {name:?}"
                ))),
            },
            Err(e)
                if matches!(
                    e.code(),
                    Some(
                        "NotAuthorizedException"
                            | "UserNotFoundException"
                            | "UserNotConfirmedException"
                            | "PasswordResetRequiredException"
                    )
                ) =>
            {
                Ok(PasswordCheck::Refused)
            }
            Err(e) => Err(port_err("AdminInitiateAuth", e)),
        }
    }

    async fn answer_challenge(
        &self,
        login: &str,
        session: &str,
        code: &str,
    ) -> Result<CodeCheck, PortError> {
        let out = self
            .client
            .get()
            .admin_respond_to_auth_challenge()
            .user_pool_id(&self.pool)
            .client_id(&self.app_client)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(session)
            .challenge_responses("USERNAME", login)
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .send()
            .await;
        match out {
            Ok(out) if out.authentication_result.is_some() => Ok(CodeCheck::Ok {
                grant: grant_of(out.authentication_result),
            }),
            Ok(out) => Err(PortError::Internal(format!(
                "Cognito AdminRespondToAuthChallenge: unexpected challenge {:?}",
                out.challenge_name
            ))),
            // An unknown or used-up session is a refused answer too.
            Err(e) if code_refused(e.code()) || e.code() == Some("ResourceNotFoundException") => {
                Ok(CodeCheck::Refused)
            }
            Err(e) => Err(port_err("AdminRespondToAuthChallenge", e)),
        }
    }

    fn needs_grant(&self) -> bool {
        true
    }

    async fn start_totp(&self, _login: &str, grant: Option<&str>) -> Result<String, PortError> {
        let access = self.access_token(grant).await?;
        let out = self
            .client
            .get()
            .associate_software_token()
            .access_token(access)
            .send()
            .await
            .map_err(|e| port_err("AssociateSoftwareToken", e))?;
        out.secret_code
            .ok_or_else(|| PortError::Internal("AssociateSoftwareToken gave no secret".into()))
    }

    async fn confirm_totp(
        &self,
        login: &str,
        grant: Option<&str>,
        code: &str,
    ) -> Result<bool, PortError> {
        if !self.verify(grant, code).await? {
            return Ok(false);
        }
        self.set_mfa(login, true).await?;
        Ok(true)
    }

    async fn check_totp(
        &self,
        _login: &str,
        grant: Option<&str>,
        code: &str,
    ) -> Result<bool, PortError> {
        self.verify(grant, code).await
    }

    async fn disable_totp(&self, login: &str) -> Result<(), PortError> {
        self.set_mfa(login, false).await
    }

    async fn disable_login(&self, login: &str) -> Result<(), PortError> {
        admin_user_call!(self, admin_disable_user, "AdminDisableUser", login)
    }

    async fn enable_login(&self, login: &str) -> Result<(), PortError> {
        admin_user_call!(self, admin_enable_user, "AdminEnableUser", login)
    }

    async fn delete_login(&self, login: &str) -> Result<(), PortError> {
        admin_user_call!(self, admin_delete_user, "AdminDeleteUser", login)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_passwords_have_every_character_class_and_no_spaces() {
        let p = pool_password("  a long passphrase with spaces  ");
        assert_eq!(p.len(), 47);
        assert!(p.starts_with("Rr1!"));
        assert!(!p.contains(char::is_whitespace));
        assert_ne!(p, pool_password("another one entirely"));
        assert_eq!(p, pool_password("  a long passphrase with spaces  "));
    }
}
