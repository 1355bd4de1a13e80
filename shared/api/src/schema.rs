//! The JSON Schemas of roster's values, for the OpenAPI document: each one
//! says what the domain parser of that value accepts (`roster_core::domain`),
//! from the parser's own constants, so a request that fits its schema is
//! refused only for a rule no schema can state (a link that was used, a
//! password on the common list, a code that is not current: the table's
//! `beyond` lists them per operation).
//!
//! Each is a type that stands for the value in a schema, used on the
//! handlers' body types and the views as `#[schemars(with = "schema::Email")]`
//! (or `Option<schema::Email>`: an optional field may also be `null`).
//!
//! The patterns avoid `\s` and `\p{…}`, whose meaning differs between the
//! regex dialects that read them (ECMA-262, Python's, Rust's).

use roster_core::domain::{Description, Email as EmailValue, GroupName, Name as NameValue};
use roster_core::domain::{Password, Role as RoleValue, UserState};
use schemars::{json_schema, Schema};

/// Control characters (Unicode `Cc`, what `char::is_control` names).
const CONTROL: &str = "\\x00-\\x1f\\x7f-\\x9f";
/// White space: Unicode `White_Space`, what `str::trim` removes.
const SPACE: &str =
    "\\t\\n\\x0b\\x0c\\r\\x85 \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/// A line of text as `domain::text` takes it: any white space around it,
/// and between that (`required`: at least one character) no control
/// character, starting and ending with a character that is not white space.
fn line(required: bool) -> String {
    let edge = format!("[^{CONTROL}{SPACE}]");
    let text = format!("{edge}([^{CONTROL}]*{edge})?");
    let text = if required { text } else { format!("({text})?") };
    format!("^[{SPACE}]*{text}[{SPACE}]*$")
}

/// A ULID (26 characters of Crockford's base32, either case), or the same
/// 128 bits as a UUID (`8-4-4-4-12` hex digits, either case).
pub const ID_PATTERN: &str = "^([0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$";

/// A value's schema under a name of the document's.
macro_rules! value {
    ($(#[$doc:meta])* $name:ident, $schema:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $schema
            }
        }
    };
}
pub(crate) use value;

value!(
    /// An id: roster answers ULIDs, the replaced APIs UUIDs; either is taken.
    Id,
    json_schema!({
        "type": "string",
        "pattern": ID_PATTERN,
        "description": "A roster id: a ULID, or the same id written as a UUID.",
        "examples": ["01JD8X6S2M3W5T0K4E9Q7R1B2C"],
    })
);

value!(
    /// An e-mail address, as `Email::parse` takes it: at most 254
    /// characters, a dot-atom of ASCII before the `@` (no `#`), a host name
    /// after it (labels of letters, digits and hyphens, up to 63 each, that
    /// start and end with a letter or digit; punycode for other scripts).
    /// Roster stores it in lower case.
    Email,
    json_schema!({
        "type": "string",
        "format": "email",
        "minLength": 3,
        "maxLength": EmailValue::MAX_LEN,
        "pattern": email_pattern(),
        "examples": ["ada@example.com"],
    })
);

/// The addresses `email_address` takes and roster keeps, in ASCII (the
/// `email` format bounds the parts' lengths). Roster also takes one with
/// spaces around it and trims them (DESIGN §3), a leniency the document
/// leaves out: the format, which generators and validators read, can't say it.
fn email_pattern() -> String {
    let atext = "A-Za-z0-9!$%&'*+/=?^_`{|}~-";
    let alnum = "A-Za-z0-9";
    let label = format!("[{alnum}]([{alnum}-]{{0,61}}[{alnum}])?");
    format!("^[{atext}]+(\\.[{atext}]+)*@{label}(\\.{label})+$")
}

value!(
    /// A first or last name: at most 100 characters, no control character
    /// but white space around it, which is trimmed; may be empty.
    Name,
    json_schema!({
        "type": "string",
        "maxLength": NameValue::MAX_LEN,
        "pattern": line(false),
        "examples": ["Ada"],
    })
);

value!(
    /// An account's or a group's name: 1 to 100 characters, not only
    /// white space, no control character but white space around it, which
    /// is trimmed.
    Title,
    json_schema!({
        "type": "string",
        "minLength": 1,
        "maxLength": GroupName::MAX_LEN,
        "pattern": line(true),
        "examples": ["Engineering"],
    })
);

value!(
    /// A group's description: at most 1,000 characters, no control characters.
    Text,
    json_schema!({
        "type": "string",
        "maxLength": Description::MAX_LEN,
        "pattern": line(false),
    })
);

value!(
    /// A new password: 10 to 256 characters (and, beyond what a schema
    /// says, not a common password and not the e-mail).
    NewPassword,
    json_schema!({
        "type": "string",
        "minLength": Password::MIN_LEN,
        "maxLength": Password::MAX_LEN,
        "writeOnly": true,
        "examples": ["correct horse battery staple"],
    })
);

value!(
    /// A password to be checked: any text, checked as it is.
    CurrentPassword,
    json_schema!({"type": "string", "writeOnly": true, "examples": ["correct horse battery staple"]})
);

value!(
    /// A secret roster issued: a mailed link's token, a refresh token, an
    /// MFA challenge's session. Opaque.
    Secret,
    json_schema!({"type": "string", "writeOnly": true})
);

value!(
    /// A TOTP code of the authenticator app (6 digits), or, where the
    /// operation says so, a recovery code. Spaces and dashes are ignored.
    Code,
    json_schema!({"type": "string", "writeOnly": true, "examples": ["123456"]})
);

value!(
    /// A role: `owner` > `admin` > `user` > `viewer`.
    Role,
    json_schema!({"type": "string", "enum": RoleValue::ALL.map(RoleValue::as_str)})
);

value!(
    /// A user's state: invited (`pending`), signed up (`active`), or
    /// switched off (`disabled`).
    State,
    json_schema!({"type": "string", "enum": UserState::ALL.map(UserState::as_str)})
);

value!(
    /// A time, RFC 3339 in UTC with milliseconds.
    Time,
    json_schema!({"type": "string", "format": "date-time", "examples": ["2026-11-23T09:30:00.000Z"]})
);

value!(
    /// A link roster made (`<public-url>/signup?token=…`, `otpauth://…`).
    Link,
    json_schema!({"type": "string", "format": "uri"})
);

value!(
    /// A JSON object whose keys are free.
    Object,
    json_schema!({"type": "object"})
);

value!(
    /// A user's preferences: any JSON object up to 8 KiB, kept as given.
    Preferences,
    json_schema!({
        "type": "object",
        "description": "Any JSON object up to 8 KiB (nested at most 32 levels, numbers DynamoDB can store), kept as given.",
        "examples": [{"theme": "dark"}],
    })
);

value!(
    /// A list that is always empty (what the replaced APIs hold and roster
    /// has none of: projects, drives).
    EmptyList,
    json_schema!({"type": "array", "items": {}, "maxItems": 0})
);

/// An item of a list whose items are taken one by one (an import's rows):
/// one that is a `T` is done, anything else fails alone and its result
/// says why. So the list's schema takes any item, and says which one works.
pub struct FailsAlone<T>(std::marker::PhantomData<T>);

impl<T: schemars::JsonSchema> schemars::JsonSchema for FailsAlone<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("FailsAlone_{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [
                g.subschema_for::<T>(),
                {"description": "Anything else: this item fails alone, and its result says why."},
            ],
        })
    }
}

/// One of `names`, in any case, or empty for the default (the replaced
/// APIs' sort fields).
pub fn any_case_of(names: &[&str]) -> Schema {
    let alternatives: Vec<String> = names.iter().map(|n| case_free(n)).collect();
    json_schema!({
        "type": "string",
        "pattern": format!("^({})?$", alternatives.join("|")),
        "description": format!("One of {}, in any case.", names.join(", ")),
    })
}

/// `userType` → `[uU][sS][eE][rR][tT][yY][pP][eE]`; other characters (`.`)
/// escaped.
fn case_free(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphabetic() {
                format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_fields_match_in_any_case() {
        assert_eq!(case_free("user.id"), "[uU][sS][eE][rR]\\.[iI][dD]");
    }
}
