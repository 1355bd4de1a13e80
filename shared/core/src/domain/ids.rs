use std::fmt;

use crate::error::{Error, Result};

/// 128 bits as UUID text.
fn uuid_text(bits: u128) -> String {
    let h = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The bits of UUID text (`8-4-4-4-12` hex digits, either case).
fn uuid_bits(raw: &str) -> Option<u128> {
    let b = raw.as_bytes();
    let dashes = [8, 13, 18, 23];
    let well_formed = b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if dashes.contains(&i) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    if !well_formed {
        return None;
    }
    let hex: String = raw.chars().filter(|c| *c != '-').collect();
    u128::from_str_radix(&hex, 16).ok()
}

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

            /// [`Self::parse`] of an input named `field`: the id's own text
            /// (a ULID) or the same 128 bits written as a UUID, exactly.
            pub fn parse_field(field: &'static str, raw: &str) -> Result<Self> {
                ulid::Ulid::from_string(raw)
                    .ok()
                    .or_else(|| uuid_bits(raw).map(ulid::Ulid))
                    .map($name)
                    .ok_or_else(|| Error::invalid(field, format!("{field} is not a valid id")))
            }

            /// Another kind of id with the same bits (a SCIM token's stand-in user).
            #[allow(dead_code)] // used by some of the id kinds only
            pub(crate) fn ulid(&self) -> ulid::Ulid {
                self.0
            }

            #[allow(dead_code)]
            pub(crate) fn from_ulid(bits: ulid::Ulid) -> Self {
                $name(bits)
            }

            /// The id written as a UUID (`8-4-4-4-12` lower-case hex), as
            /// the replaced APIs spell ids.
            pub fn uuid(&self) -> String {
                uuid_text(self.0 .0)
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
    /// A SCIM token's id (the token's secret is never stored).
    ScimTokenId,
    "id"
);
ulid_id!(
    /// A membership's own id (a user in a group).
    MembershipId,
    "id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_back_from_its_uuid_text() {
        let id = UserId::new();
        let uuid = id.uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(UserId::parse(&uuid).ok(), Some(id));
        assert_eq!(UserId::parse(&uuid.to_uppercase()).ok(), Some(id));
        assert_eq!(UserId::parse(&id.to_string()).ok(), Some(id));
    }

    #[test]
    fn malformed_uuid_text_is_refused() {
        for bad in [
            "00000000-0000-0000-0000-00000000000",
            "00000000-0000-0000-0000-0000000000000",
            "0000000000000-0000-0000-00000000000",
            "+0000000-0000-0000-0000-000000000000",
            "0000000g-0000-0000-0000-000000000000",
        ] {
            assert!(UserId::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            UserId::parse("00000000-0000-0000-0000-000000000000")
                .map(|i| i.uuid())
                .ok(),
            Some("00000000-0000-0000-0000-000000000000".to_string())
        );
    }
}
