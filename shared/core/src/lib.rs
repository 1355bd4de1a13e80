//! roster's domain: validated types, permission rules, use cases, and the
//! ports (`Table`, `Mailer`, `Identity`) adapters implement. Knows neither HTTP
//! nor AWS.

pub mod accounts;
pub mod auth;
pub mod clock;
pub mod crypto;
pub mod domain;
pub mod error;
pub mod groups;
pub mod listing;
pub mod mail;
pub mod paging;
pub mod plans;
pub mod policy;
pub mod ports;
pub mod repo;
mod roster;
pub mod scim;
pub mod users;

pub use error::{Error, Result};
pub use roster::{OpId, Rejected, Roster, Settings, Tx, DEFAULT_AUDIT_DAYS, DEFAULT_MFA_ISSUER};
