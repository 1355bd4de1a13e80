//! Group use cases: each file one part of a group's life.
//!
//! - `manage`: create, get, update, remove, find.
//! - `members`: assign, unassign, a group's members, a user's groups.
//! - `purge`: removing the memberships of removed groups and users, in
//!   chunks that resume if interrupted.

mod manage;
mod members;
mod purge;

pub use manage::{GroupChange, NewGroup};
pub use members::Assigned;
