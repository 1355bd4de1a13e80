//! The `Identity` port: the password (and, later, second-factor) authority.
//!
//! The login name is always the roster user id: e-mails can change while a user
//! is pending, ids never do.

use async_trait::async_trait;

use super::PortError;

/// What a password check says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordCheck {
    Ok,
    /// Right password; a second factor is needed. `session` is the provider's
    /// challenge session, handed back with the code.
    MfaRequired {
        session: String,
    },
    Refused,
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

    async fn disable_login(&self, login: &str) -> Result<(), PortError>;

    async fn enable_login(&self, login: &str) -> Result<(), PortError>;

    async fn delete_login(&self, login: &str) -> Result<(), PortError>;
}
