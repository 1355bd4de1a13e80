//! SCIM filters (RFC 7644 §3.4.2.2) and attribute paths, read into a tree
//! and evaluated on a resource's JSON. Every operator is supported (`eq ne
//! co sw ew gt ge lt le pr`, `and or not`, grouping and value paths such as
//! `emails[type eq "work"].value eq "x"`); attribute names are matched
//! case-insensitively and may carry their schema's URN. Strings compare
//! case-insensitively except on the attributes the schema calls case-exact
//! (`id`, `externalId`, `meta.version`).

use serde_json::Value;

/// The longest filter read (Okta's and Entra's are a few dozen characters).
pub const MAX_FILTER: usize = 2048;
/// The deepest nesting of parentheses and `not`.
const MAX_DEPTH: usize = 16;

/// The URNs an attribute path may start with.
pub const URNS: [&str; 3] = [
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:core:2.0:Group",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
];

/// `name.givenName`, without its URN, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    pub attr: String,
    pub sub: Option<String>,
}

impl AttrPath {
    /// Reads `attr`, `attr.sub`, or either after a known URN and `:`.
    pub fn parse(raw: &str) -> Option<AttrPath> {
        let mut rest = raw;
        for urn in URNS {
            // By bytes: a multi-byte character where the URN would end is no
            // URN (and no place to cut a `str`).
            let bytes = rest.as_bytes();
            let is_urn = bytes
                .get(..urn.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(urn.as_bytes()))
                && bytes.get(urn.len()) == Some(&b':');
            if is_urn {
                rest = rest.get(urn.len() + 1..).unwrap_or("");
                break;
            }
        }
        let (attr, sub) = match rest.split_once('.') {
            Some((a, s)) => (a, Some(s)),
            None => (rest, None),
        };
        let name = |s: &str| {
            (!s.is_empty()
                && s.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '$')
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$'))
            .then(|| s.to_ascii_lowercase())
        };
        Some(AttrPath {
            attr: name(attr)?,
            sub: match sub {
                Some(s) => Some(name(s)?),
                None => None,
            },
        })
    }

    pub fn dotted(&self) -> String {
        match &self.sub {
            Some(s) => format!("{}.{s}", self.attr),
            None => self.attr.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Compare(AttrPath, CompareOp, Value),
    Present(AttrPath),
    /// `attr[filter]`, optionally then `.sub op value` or `.sub pr`.
    ValuePath {
        attr: String,
        inner: Box<Filter>,
        then: Option<Box<Filter>>,
    },
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

/// Why a filter was not read: SCIM's `invalidFilter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(pub String);

type Parsed<T> = Result<T, FilterError>;

fn fail<T>(message: impl Into<String>) -> Parsed<T> {
    Err(FilterError(message.into()))
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Value(Value),
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    /// The `.sub` after a `]`.
    Dot(String),
}

fn tokens(raw: &str) -> Parsed<Vec<Token>> {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1
            }
            ')' => {
                out.push(Token::Close);
                i += 1
            }
            '[' => {
                out.push(Token::OpenBracket);
                i += 1
            }
            ']' => {
                out.push(Token::CloseBracket);
                i += 1;
                if chars.get(i) == Some(&'.') {
                    let start = i + 1;
                    let mut end = start;
                    while end < chars.len() && is_word(chars[end]) {
                        end += 1;
                    }
                    out.push(Token::Dot(chars[start..end].iter().collect()));
                    i = end;
                }
            }
            '"' => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= chars.len() {
                    return fail("a string in the filter is not closed");
                }
                i += 1;
                let text: String = chars[start..i].iter().collect();
                let value: Value = serde_json::from_str(&text)
                    .map_err(|_| FilterError(format!("{text} is not a valid string")))?;
                out.push(Token::Value(value));
            }
            c if is_word(c) => {
                let start = i;
                while i < chars.len() && is_word(chars[i]) {
                    i += 1;
                }
                out.push(Token::Word(chars[start..i].iter().collect()));
            }
            other => return fail(format!("unexpected `{other}` in the filter")),
        }
    }
    Ok(out)
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '_' | '-' | '$' | '+')
}

/// Reads a filter.
pub fn parse(raw: &str) -> Parsed<Filter> {
    if raw.len() > MAX_FILTER {
        return fail(format!("a filter is at most {MAX_FILTER} bytes"));
    }
    let tokens = tokens(raw)?;
    let mut p = Parser { tokens, at: 0 };
    let f = p.or(0)?;
    if p.at != p.tokens.len() {
        return fail("the filter has more after its end");
    }
    Ok(f)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn or(&mut self, depth: usize) -> Parsed<Filter> {
        let mut left = self.and(depth)?;
        while self.peek_word("or") {
            self.at += 1;
            let right = self.and(depth)?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Parsed<Filter> {
        let mut left = self.not(depth)?;
        while self.peek_word("and") {
            self.at += 1;
            let right = self.not(depth)?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self, depth: usize) -> Parsed<Filter> {
        if depth > MAX_DEPTH {
            return fail("the filter nests too deep");
        }
        if self.peek_word("not") {
            self.at += 1;
            if self.next() != Some(Token::Open) {
                return fail("`not` takes a filter in parentheses");
            }
            let inner = self.or(depth + 1)?;
            if self.next() != Some(Token::Close) {
                return fail("a parenthesis is not closed");
            }
            return Ok(Filter::Not(Box::new(inner)));
        }
        self.atom(depth)
    }

    fn atom(&mut self, depth: usize) -> Parsed<Filter> {
        match self.next() {
            Some(Token::Open) => {
                let inner = self.or(depth + 1)?;
                if self.next() != Some(Token::Close) {
                    return fail("a parenthesis is not closed");
                }
                Ok(inner)
            }
            Some(Token::Word(word)) => {
                if self.tokens.get(self.at) == Some(&Token::OpenBracket) {
                    self.at += 1;
                    let path = AttrPath::parse(&word)
                        .filter(|p| p.sub.is_none())
                        .ok_or_else(|| FilterError(format!("`{word}` is not an attribute")))?;
                    let inner = self.or(depth + 1)?;
                    if self.next() != Some(Token::CloseBracket) {
                        return fail("a `[` is not closed");
                    }
                    let then = match self.tokens.get(self.at) {
                        Some(Token::Dot(sub)) => {
                            let sub = sub.clone();
                            self.at += 1;
                            Some(Box::new(self.comparison(&sub)?))
                        }
                        _ => None,
                    };
                    return Ok(Filter::ValuePath {
                        attr: path.attr,
                        inner: Box::new(inner),
                        then,
                    });
                }
                self.comparison(&word)
            }
            _ => fail("expected an attribute, `(` or `not`"),
        }
    }

    /// `path op value` or `path pr`.
    fn comparison(&mut self, word: &str) -> Parsed<Filter> {
        let path = AttrPath::parse(word)
            .ok_or_else(|| FilterError(format!("`{word}` is not an attribute")))?;
        let op = match self.next() {
            Some(Token::Word(op)) => op.to_ascii_lowercase(),
            _ => return fail(format!("`{word}` needs an operator")),
        };
        let op = match op.as_str() {
            "pr" => return Ok(Filter::Present(path)),
            "eq" => CompareOp::Eq,
            "ne" => CompareOp::Ne,
            "co" => CompareOp::Co,
            "sw" => CompareOp::Sw,
            "ew" => CompareOp::Ew,
            "gt" => CompareOp::Gt,
            "ge" => CompareOp::Ge,
            "lt" => CompareOp::Lt,
            "le" => CompareOp::Le,
            other => return fail(format!("`{other}` is not a filter operator")),
        };
        let value = match self.next() {
            Some(Token::Value(v)) => v,
            Some(Token::Word(w)) => match w.to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                _ => serde_json::from_str::<serde_json::Number>(&w)
                    .map(Value::Number)
                    .map_err(|_| FilterError(format!("`{w}` is not a value; quote strings")))?,
            },
            _ => return fail(format!("`{word}` needs a value")),
        };
        Ok(Filter::Compare(path, op, value))
    }
}

/// Whether strings of this attribute compare exactly.
fn case_exact(path: &str) -> bool {
    matches!(path, "id" | "externalid" | "meta.version")
}

/// The value of `key` in an object, its name matched case-insensitively.
pub fn get_ci<'a>(object: &'a Value, key: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// The values a path names on `resource`: one, or each of a multi-valued
/// attribute's (for a complex one without `sub`, each one's `value`).
fn values<'a>(resource: &'a Value, path: &AttrPath) -> Vec<&'a Value> {
    let Some(top) = get_ci(resource, &path.attr) else {
        return Vec::new();
    };
    let items: Vec<&Value> = match top {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    items
        .into_iter()
        .filter_map(|item| match &path.sub {
            Some(sub) => get_ci(item, sub),
            None if item.is_object() && top.is_array() => get_ci(item, "value"),
            None => Some(item),
        })
        .filter(|v| !v.is_null())
        .collect()
}

/// Whether `filter` holds on `resource` (a JSON object).
pub fn matches(filter: &Filter, resource: &Value) -> bool {
    match filter {
        Filter::And(a, b) => matches(a, resource) && matches(b, resource),
        Filter::Or(a, b) => matches(a, resource) || matches(b, resource),
        Filter::Not(f) => !matches(f, resource),
        Filter::Present(path) => values(resource, path).iter().any(|v| present(v)),
        Filter::Compare(path, op, want) => {
            let exact = case_exact(&path.dotted());
            let found = values(resource, path);
            if *op == CompareOp::Ne {
                return !found.iter().any(|v| compare(v, CompareOp::Eq, want, exact));
            }
            found.iter().any(|v| compare(v, *op, want, exact))
        }
        Filter::ValuePath { attr, inner, then } => {
            let Some(top) = get_ci(resource, attr) else {
                return false;
            };
            let items: Vec<&Value> = match top {
                Value::Array(items) => items.iter().collect(),
                one => vec![one],
            };
            items
                .into_iter()
                .any(|item| matches(inner, item) && then.as_ref().is_none_or(|t| matches(t, item)))
        }
    }
}

fn present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

fn compare(have: &Value, op: CompareOp, want: &Value, exact: bool) -> bool {
    use std::cmp::Ordering;
    let ordering = match (have, want) {
        (Value::String(h), Value::String(w)) => {
            let (h, w) = if exact {
                (h.clone(), w.clone())
            } else {
                (h.to_lowercase(), w.to_lowercase())
            };
            match op {
                CompareOp::Co => return h.contains(&w),
                CompareOp::Sw => return h.starts_with(&w),
                CompareOp::Ew => return h.ends_with(&w),
                _ => h.cmp(&w),
            }
        }
        (Value::Number(h), Value::Number(w)) => match (h.as_f64(), w.as_f64()) {
            (Some(h), Some(w)) => h.partial_cmp(&w).unwrap_or(Ordering::Equal),
            _ => return false,
        },
        (Value::Bool(h), Value::Bool(w)) => match op {
            CompareOp::Eq => return h == w,
            _ => return false,
        },
        // Entra sends booleans as strings ("False").
        (Value::Bool(h), Value::String(w)) => match op {
            CompareOp::Eq => return w.eq_ignore_ascii_case(if *h { "true" } else { "false" }),
            _ => return false,
        },
        _ => return false,
    };
    match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Ne | CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

/// Whether the filter reads the top-level attribute `attr` (lower case).
pub fn mentions(filter: &Filter, attr: &str) -> bool {
    match filter {
        Filter::Compare(p, _, _) | Filter::Present(p) => p.attr == attr,
        Filter::ValuePath { attr: a, .. } => a == attr,
        Filter::And(a, b) | Filter::Or(a, b) => mentions(a, attr) || mentions(b, attr),
        Filter::Not(f) => mentions(f, attr),
    }
}

/// The value an `attr eq "…"` filter (alone, or first of an `and`) asks
/// for: what a lookup by key can answer before the whole list is read.
pub fn equality<'a>(filter: &'a Filter, attr: &str) -> Option<&'a str> {
    match filter {
        Filter::Compare(path, CompareOp::Eq, Value::String(v))
            if path.sub.is_none() && path.attr == attr =>
        {
            Some(v)
        }
        Filter::And(a, b) => equality(a, attr).or_else(|| equality(b, attr)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        json!({
            "id": "01ABC", "userName": "Ada@Example.com", "externalId": "X1",
            "active": true, "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"value": "ada@example.com", "type": "work", "primary": true}],
            "meta": {"created": "2026-11-23T09:30:00.000Z"},
        })
    }

    fn holds(raw: &str) -> bool {
        matches(
            &parse(raw).unwrap_or_else(|e| panic!("{raw}: {e:?}")),
            &user(),
        )
    }

    #[test]
    fn what_identity_providers_send_is_read() {
        assert!(holds(r#"userName eq "ada@example.com""#));
        assert!(holds(r#"USERNAME Eq "ADA@EXAMPLE.COM""#));
        assert!(holds(r#"externalId eq "X1""#));
        assert!(!holds(r#"externalId eq "x1""#), "externalId is case-exact");
        assert!(holds(
            r#"emails[type eq "work"].value eq "ada@example.com""#
        ));
        assert!(holds(r#"emails[type eq "work" and value co "example"]"#));
        assert!(!holds(
            r#"emails[type eq "home"].value eq "ada@example.com""#
        ));
        assert!(holds(r#"emails.value eq "ada@example.com""#));
        assert!(holds(r#"emails eq "ada@example.com""#));
        assert!(holds(r#"userName eq "ada@example.com" and active eq true"#));
        assert!(holds(
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ada""#
        ));
        assert!(holds(r#"name.familyName co "love" or id eq "nope""#));
        assert!(holds(
            r#"not (active eq false) and (meta.created gt "2026-01-01T00:00:00Z")"#
        ));
        assert!(!holds("title pr"));
        assert!(holds("name pr"));
        assert!(holds(r#"userName ne "grace@example.com""#));
        assert!(holds(r#"active eq "True""#));
    }

    #[test]
    fn malformed_filters_are_refused() {
        for bad in [
            "",
            "userName",
            r#"userName eq"#,
            r#"userName xx "a""#,
            r#"userName eq "open"#,
            r#"(userName eq "a""#,
            r#"userName eq "a" and"#,
            r#"userName eq unquoted"#,
            r#"emails[type eq "work""#,
            r#"userName eq "a" extra"#,
            "a eq 1 ; drop",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = format!("{}a pr{}", "(".repeat(40), ")".repeat(40));
        assert!(parse(&deep).is_err());
        assert!(parse(&"a".repeat(MAX_FILTER + 1)).is_err());
    }

    #[test]
    fn any_text_is_read_without_a_panic() {
        // A multi-byte character where each URN would end, and elsewhere.
        for urn in URNS {
            for cut in [urn.len() - 1, urn.len(), urn.len() + 1] {
                let raw = format!("{}é:x", "a".repeat(cut));
                let _ = AttrPath::parse(&raw);
                let _ = parse(&format!("{raw} eq \"1\""));
            }
            let _ = AttrPath::parse(&format!("{urn}é"));
            let _ = AttrPath::parse(&format!("{urn}:"));
        }
        for raw in ["é", "ééé.é", ".", "a.", ":", "😀[", "a[😀]", "\"\\"] {
            let _ = AttrPath::parse(raw);
            let _ = parse(raw);
        }
    }

    #[test]
    fn an_equality_is_found_for_a_lookup_by_key() {
        let f = parse(r#"userName eq "a@b.c" and active eq true"#).unwrap();
        assert_eq!(equality(&f, "username"), Some("a@b.c"));
        let f = parse(r#"userName eq "a@b.c" or active eq true"#).unwrap();
        assert_eq!(equality(&f, "username"), None);
    }
}
