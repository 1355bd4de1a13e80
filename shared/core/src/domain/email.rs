use std::fmt;

use crate::error::{Error, Result};

/// A trimmed, lower-cased, valid e-mail address of at most 254 characters.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(into = "String", try_from = "String")]
pub struct Email(String);

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl TryFrom<String> for Email {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        Email::parse(&s)
    }
}

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Email> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(Error::invalid("email", "email is required"));
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(Error::invalid(
                "email",
                "email is longer than 254 characters",
            ));
        }
        // `#` is the key separator of the table; no real mailbox needs it.
        let plain = !s.contains(['#', '"', ' ']) && !s.chars().any(char::is_control);
        let domain_has_dot = s
            .rsplit_once('@')
            .is_some_and(|(_, d)| d.contains('.') && !d.ends_with('.'));
        if !plain
            || !domain_has_dot
            || !email_address::EmailAddress::is_valid(&s)
            || !deliverable(&s)
        {
            return Err(Error::invalid("email", "email is not a valid address"));
        }
        Ok(Email(s))
    }

    /// An e-mail read back from the table, where only parsed ones are
    /// written: re-validating it on every read would cost more than the read.
    pub(crate) fn from_stored(s: String) -> Email {
        Email(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a mail server takes, and what JSON Schema's `email` format says
/// (so every address roster answers with fits the OpenAPI document): an
/// ASCII local part, and a host name of letters, digits and hyphens, in
/// labels of 1 to 63 that neither start nor end with a hyphen, 253 at most.
/// An internationalised domain is written in punycode (`xn--…`).
fn deliverable(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    local.is_ascii()
        && domain.len() <= 253
        && domain.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
    }

    #[test]
    fn invalid_emails_are_refused() {
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "a b@example.com",
            "ann@example",
            "a#b@example.com",
            "a@exa{mple.com",
            "a@-example.com",
            "a@[127.0.0.1]",
            "ä@example.com",
            "a@exämple.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }
}
