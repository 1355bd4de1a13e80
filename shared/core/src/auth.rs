//! Sessions and cursors: roster's own signed and sealed tokens, the same on
//! both backends.

pub mod access;
pub mod cursor;
pub mod hosted;
pub mod keys;
pub mod seal;

pub use access::{AccessClaims, ACCESS_TTL_SECS};
pub use hosted::{HostedIdentity, HostedUi};
pub use keys::Keys;
pub use seal::Sealer;
