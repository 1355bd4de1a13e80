//! `Cond`, updates and key conditions as DynamoDB expressions, with every
//! name and value behind a placeholder (no reserved-word surprises).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use roster_core::ports::{Cond, SortKey, TableError};
use serde_json::Value;

/// Placeholders collected while one request's expressions are written.
#[derive(Default)]
pub struct Expr {
    pub names: HashMap<String, String>,
    pub values: HashMap<String, AttributeValue>,
}

impl Expr {
    pub fn name(&mut self, attr: &str) -> String {
        if let Some((k, _)) = self.names.iter().find(|(_, v)| *v == attr) {
            return k.clone();
        }
        let k = format!("#n{}", self.names.len());
        self.names.insert(k.clone(), attr.to_string());
        k
    }

    pub fn value(&mut self, v: &Value) -> Result<String, TableError> {
        let av = serde_dynamo::to_attribute_value(v)
            .map_err(|e| TableError::Invalid(format!("value: {e}")))?;
        let k = format!(":v{}", self.values.len());
        self.values.insert(k.clone(), av);
        Ok(k)
    }

    pub fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    pub fn values(&self) -> Option<HashMap<String, AttributeValue>> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }

    pub fn cond(&mut self, c: &Cond) -> Result<String, TableError> {
        Ok(match c {
            Cond::Exists => format!("attribute_exists({})", self.name("pk")),
            Cond::NotExists => format!("attribute_not_exists({})", self.name("pk")),
            Cond::AttrExists(a) => format!("attribute_exists({})", self.name(a)),
            Cond::AttrNotExists(a) => format!("attribute_not_exists({})", self.name(a)),
            Cond::Eq(a, v) => format!("{} = {}", self.name(a), self.value(v)?),
            // A missing attribute differs from every value, as the port says.
            Cond::Ne(a, v) => {
                let n = self.name(a);
                format!("(attribute_not_exists({n}) OR {n} <> {})", self.value(v)?)
            }
            Cond::AtLeast(a, n) => format!("{} >= {}", self.name(a), self.value(&(*n).into())?),
            Cond::Less(a, n) => format!("{} < {}", self.name(a), self.value(&(*n).into())?),
            Cond::BeginsWith(a, p) => {
                format!(
                    "begins_with({}, {})",
                    self.name(a),
                    self.value(&p.clone().into())?
                )
            }
            Cond::And(cs) | Cond::Or(cs) if cs.is_empty() => {
                return Err(TableError::Invalid("an empty And/Or".into()))
            }
            Cond::And(cs) => self.join(cs, " AND ")?,
            Cond::Or(cs) => self.join(cs, " OR ")?,
        })
    }

    fn join(&mut self, cs: &[Cond], op: &str) -> Result<String, TableError> {
        let parts = cs
            .iter()
            .map(|c| self.cond(c))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(format!("({})", parts.join(op)))
    }

    /// `#pk = :pk [AND <sort-key condition>]` on the index's key names.
    pub fn key_condition(
        &mut self,
        (pk_name, sk_name): (&str, &str),
        pk: &str,
        sk: Option<&SortKey>,
    ) -> Result<String, TableError> {
        let mut s = format!("{} = {}", self.name(pk_name), self.value(&pk.into())?);
        match sk {
            None => {}
            Some(SortKey::BeginsWith(p)) => {
                let (n, v) = (self.name(sk_name), self.value(&p.clone().into())?);
                s.push_str(&format!(" AND begins_with({n}, {v})"));
            }
            Some(SortKey::Between(a, b)) => {
                let n = self.name(sk_name);
                let (a, b) = (
                    self.value(&a.clone().into())?,
                    self.value(&b.clone().into())?,
                );
                s.push_str(&format!(" AND {n} BETWEEN {a} AND {b}"));
            }
        }
        Ok(s)
    }

    /// `SET …  ADD …  REMOVE …`.
    pub fn update(
        &mut self,
        set: &[(String, Value)],
        add: &[(String, i64)],
        remove: &[String],
    ) -> Result<Option<String>, TableError> {
        let mut clauses = Vec::new();
        if !set.is_empty() {
            let parts = set
                .iter()
                .map(|(a, v)| Ok(format!("{} = {}", self.name(a), self.value(v)?)))
                .collect::<Result<Vec<_>, TableError>>()?;
            clauses.push(format!("SET {}", parts.join(", ")));
        }
        if !add.is_empty() {
            let parts = add
                .iter()
                .map(|(a, n)| Ok(format!("{} {}", self.name(a), self.value(&(*n).into())?)))
                .collect::<Result<Vec<_>, TableError>>()?;
            clauses.push(format!("ADD {}", parts.join(", ")));
        }
        if !remove.is_empty() {
            let parts: Vec<_> = remove.iter().map(|a| self.name(a)).collect();
            clauses.push(format!("REMOVE {}", parts.join(", ")));
        }
        Ok((!clauses.is_empty()).then(|| clauses.join(" ")))
    }
}
