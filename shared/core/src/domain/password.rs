use std::collections::HashSet;
use std::sync::LazyLock;

use super::Email;
use crate::error::{Error, Result};

/// The most common passwords of ten characters or more, lower-cased.
static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common-passwords.txt").lines().collect());

/// A new password: 10–256 characters, not a common password, not the e-mail.
///
/// Only new passwords are parsed; a password offered at login is checked as it
/// is, so a rule added later never locks anybody out.
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 256;

    pub fn parse(raw: &str, email: &Email) -> Result<Password> {
        let len = raw.chars().count();
        if len < Self::MIN_LEN {
            return Err(Error::invalid(
                "password",
                "password must be at least 10 characters",
            ));
        }
        if len > Self::MAX_LEN {
            return Err(Error::invalid(
                "password",
                "password must be at most 256 characters",
            ));
        }
        let lower = raw.to_lowercase();
        if COMMON.contains(lower.as_str()) {
            return Err(Error::invalid("password", "password is too common"));
        }
        let local = email.as_str().split('@').next().unwrap_or_default();
        if lower == email.as_str() || lower == local {
            return Err(Error::invalid("password", "password must not be the email"));
        }
        Ok(Password(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email::parse("ann.lee@example.com").unwrap()
    }

    #[test]
    fn password_rules() {
        assert!(Password::parse("short", &email()).is_err());
        assert!(Password::parse(&"x".repeat(257), &email()).is_err());
        assert!(Password::parse("Password123", &email()).is_err());
        assert!(Password::parse("ANN.LEE@example.com", &email()).is_err());
        assert!(Password::parse("correct horse battery", &email()).is_ok());
    }
}
