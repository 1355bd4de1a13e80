//! Black-box test support: the `Table` conformance suite (run on every
//! adapter), an in-process app driven through the router, and the real
//! `roster-server` binary over HTTP.

pub mod app;
pub mod aws;
pub mod compat;
pub mod conformance;
pub mod contract;
pub mod faults;
pub mod hosted;
pub mod identity;
pub mod infra;
pub mod logs;
pub mod mail;
pub mod mfa;
pub mod races;
pub mod scim;
pub mod server;
pub mod totp;
