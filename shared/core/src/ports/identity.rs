//! The `Identity` port: the password and second-factor authority.
//!
//! The login name is always the roster user id: e-mails can change while a user
//! is pending, ids never do.
//!
//! A *grant* is what a provider hands back after a login for later
//! self-service calls on the user's behalf (Cognito: its refresh token, which
//! `AssociateSoftwareToken` and `VerifySoftwareToken` need, via an access
//! token). roster keeps it sealed in its session item and passes it back; the
//! embedded identity needs none.

use async_trait::async_trait;

use super::PortError;

/// What a password check says.
#[derive(Clone, PartialEq, Eq)]
pub enum PasswordCheck {
    Ok {
        grant: Option<String>,
    },
    /// Right password; a second factor is needed. `session` is the provider's
    /// challenge session, handed back with the code.
    MfaRequired {
        session: String,
    },
    Refused,
}

impl std::fmt::Debug for PasswordCheck {
    /// Grants and challenge sessions are credentials: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PasswordCheck::Ok { .. } => "Ok",
            PasswordCheck::MfaRequired { .. } => "MfaRequired",
            PasswordCheck::Refused => "Refused",
        })
    }
}

/// What the answer to a login's MFA challenge says.
#[derive(Clone, PartialEq, Eq)]
pub enum CodeCheck {
    Ok { grant: Option<String> },
    Refused,
}

impl std::fmt::Debug for CodeCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CodeCheck::Ok { .. } => "Ok",
            CodeCheck::Refused => "Refused",
        })
    }
}

#[async_trait]
pub trait Identity: Send + Sync {
    /// Creates the login with this password, or resets the password of an
    /// existing one: safe to repeat after a crash halfway through signup.
    async fn create_login(&self, login: &str, email: &str, password: &str)
        -> Result<(), PortError>;

    async fn set_password(&self, login: &str, password: &str) -> Result<(), PortError>;

    /// Checks a password. `None` is an unknown user: the check still costs what
    /// a real one costs and answers `Refused`, so timing tells nothing.
    async fn check_password(
        &self,
        login: Option<&str>,
        password: &str,
    ) -> Result<PasswordCheck, PortError>;

    /// Answers the MFA challenge of a login with a TOTP code.
    async fn answer_challenge(
        &self,
        login: &str,
        session: &str,
        code: &str,
    ) -> Result<CodeCheck, PortError>;

    /// Whether self-service MFA calls need the grant of the caller's login.
    fn needs_grant(&self) -> bool;

    /// Starts TOTP enrolment: a new secret (base32), pending until
    /// [`Identity::confirm_totp`]; asking again replaces it.
    async fn start_totp(&self, login: &str, grant: Option<&str>) -> Result<String, PortError>;

    /// Checks a code of the pending secret; when it is right, MFA is on.
    async fn confirm_totp(
        &self,
        login: &str,
        grant: Option<&str>,
        code: &str,
    ) -> Result<bool, PortError>;

    /// Checks a code of the enrolled secret, outside a login.
    async fn check_totp(
        &self,
        login: &str,
        grant: Option<&str>,
        code: &str,
    ) -> Result<bool, PortError>;

    /// Turns MFA off and forgets the secret (a pending one too).
    async fn disable_totp(&self, login: &str) -> Result<(), PortError>;

    async fn disable_login(&self, login: &str) -> Result<(), PortError>;

    async fn enable_login(&self, login: &str) -> Result<(), PortError>;

    async fn delete_login(&self, login: &str) -> Result<(), PortError>;
}
