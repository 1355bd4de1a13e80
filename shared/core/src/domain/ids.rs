use std::fmt;

use crate::error::{Error, Result};

macro_rules! ulid_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(into = "String", try_from = "String")]
        pub struct $name(ulid::Ulid);

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self> {
                Self::parse(&s)
            }
        }

        impl $name {
            /// A new id; ids made in one process are strictly increasing.
            pub fn new() -> Self {
                $name(crate::clock::next_ulid())
            }

            pub fn parse(raw: &str) -> Result<Self> {
                Self::parse_field($field, raw)
            }

            /// [`Self::parse`] of an input named `field`.
            pub fn parse_field(field: &'static str, raw: &str) -> Result<Self> {
                ulid::Ulid::from_string(raw.trim())
                    .map($name)
                    .map_err(|_| Error::invalid(field, format!("{field} is not a valid id")))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

ulid_id!(
    /// A user's id, also its login name at the identity provider.
    UserId,
    "id"
);
ulid_id!(AccountId, "accountId");
ulid_id!(SessionId, "session");
ulid_id!(GroupId, "id");
ulid_id!(
    /// A membership's own id (a user in a group).
    MembershipId,
    "id"
);
