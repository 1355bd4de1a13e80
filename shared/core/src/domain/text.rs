use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// A line of text as a person types it: at most `max` characters as sent,
/// stored without the white space around it, and no control character in
/// what remains (a tab or a line break around it is trimmed like a space: a
/// CSV's `\r\n` doesn't fail a row). The rules read the same as the OpenAPI
/// document's `maxLength` and pattern.
fn clean(field: &'static str, raw: &str, max: usize, required: bool) -> Result<String> {
    if raw.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("{field} is longer than {max} characters"),
        ));
    }
    let s = raw.trim();
    if s.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!("{field} holds control characters"),
        ));
    }
    if required && s.is_empty() {
        return Err(Error::invalid(field, format!("{field} is required")));
    }
    Ok(s.to_string())
}

/// A first or last name: trimmed, at most 100 characters, may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Name(String);

impl Name {
    pub const MAX_LEN: usize = 100;

    pub fn parse(field: &'static str, raw: &str) -> Result<Name> {
        clean(field, raw, Self::MAX_LEN, false).map(Name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An account's display name: 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountName(String);

impl AccountName {
    pub fn parse(raw: &str) -> Result<AccountName> {
        clean("accountName", raw, 100, true).map(AccountName)
    }

    pub fn parse_field(field: &'static str, raw: &str) -> Result<AccountName> {
        clean(field, raw, 100, true).map(AccountName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A group's name: 1 to 100 characters, unique in its account regardless
/// of case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupName(String);

impl GroupName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(field: &'static str, raw: &str) -> Result<GroupName> {
        clean(field, raw, Self::MAX_LEN, true).map(GroupName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form names are compared (and claimed) in: Unicode lower case.
    pub fn folded(&self) -> String {
        fold(&self.0)
    }
}

/// Names compared without regard to case.
pub fn fold(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A group's description: at most 1,000 characters, may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Description(String);

impl Description {
    pub const MAX_LEN: usize = 1000;

    pub fn parse(raw: &str) -> Result<Description> {
        clean("description", raw, Self::MAX_LEN, false).map(Description)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A user's preferences: any JSON object up to 8 KiB, kept as given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Preferences(Map<String, Value>);

impl Preferences {
    pub const MAX_BYTES: usize = 8 * 1024;

    pub fn parse(raw: Value) -> Result<Preferences> {
        let Value::Object(map) = raw else {
            return Err(Error::invalid(
                "preferences",
                "preferences must be a JSON object",
            ));
        };
        let size = serde_json::to_vec(&map)
            .map(|v| v.len())
            .unwrap_or(usize::MAX);
        if size > Self::MAX_BYTES {
            return Err(Error::invalid(
                "preferences",
                "preferences are larger than 8 KiB",
            ));
        }
        // What the table can store, on both backends: numbers within
        // DynamoDB's range, at most 32 levels of nesting (this object is one).
        let value = Value::Object(map);
        if let Err(e) = crate::ports::table::validate_value("preferences", &value) {
            let reason = match e {
                crate::ports::TableError::Invalid(m) => m,
                other => other.to_string(),
            };
            return Err(Error::invalid("preferences", reason));
        }
        match value {
            Value::Object(map) => Ok(Preferences(map)),
            _ => Err(Error::Internal(
                "preferences stopped being an object".into(),
            )),
        }
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}
