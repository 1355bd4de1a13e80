//! The ports roster's domain talks through. `embedded` and `aws` implement them.

pub mod identity;
pub mod jwks;
pub mod mailer;
pub mod table;

pub use identity::{CodeCheck, Identity, PasswordCheck};
pub use jwks::JwksSource;
pub use mailer::{Mail, Mailer};
pub use table::{Cond, Index, Item, Key, Op, Query, QueryPage, SortKey, Table, TableError};

/// A failure of the mailer or the identity provider.
#[derive(Debug, thiserror::Error)]
pub enum PortError {
    /// The provider refused the request as invalid (a password it will not take, …).
    #[error("refused: {0}")]
    Invalid(String),
    /// Busy or unreachable; retrying later may succeed.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A grant the provider gave at a login no longer works: the user must
    /// log in again for this.
    #[error("expired: {0}")]
    Expired(String),
    #[error("failure: {0}")]
    Internal(String),
}
