//! roster's HTTP face: one operation table drives the axum router (all
//! operations, for the local server) and the router of each Lambda function.
//!
//! Handlers take parsed bodies and return JSON; they know nothing of where
//! they run, so a second route table (the compatibility APIs) can point at
//! them later.

mod call;
pub mod compat;
pub mod deploy;
pub mod error;
pub mod openapi;
pub mod operator;
mod ops;
pub mod pages;
mod router;
pub mod schema;
pub mod scim;
mod views;

pub use call::Call;
pub use error::ApiError;
pub use ops::{Access, Function, Operation, OPERATIONS};
pub use router::{router, router_for};
