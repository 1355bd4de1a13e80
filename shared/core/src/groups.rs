//! Group use cases: each file one part of a group's life.
//!
//! - `manage`: create, get, update, remove, find.
//! - `members`: assign, unassign, a group's members, a user's groups.
//! - `copies`: what memberships copy from their users, kept up to date.
//! - `import`: many people into groups in one call, a result per row.
//! - `purge`: removing the memberships of removed groups and users, in
//!   chunks that resume if interrupted.

mod copies;
mod import;
mod manage;
mod members;
mod purge;

pub(crate) use copies::copies_in_tx;
pub use import::{
    check_count as check_import_rows, ImportRow, RowOutcome, RowStatus, MAX_ROWS, MAX_ROW_GROUPS,
};
pub use manage::{GroupChange, NewGroup};
pub use members::{Assigned, MAX_ASSIGNMENTS};
