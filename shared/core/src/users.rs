//! User use cases: each file one part of a user's life.

mod auth;
mod find;
mod hosted;
mod invite;
mod login;
mod manage;
mod password;
mod signup;

pub use auth::Caller;
pub use find::{FindUsers, UserFilter};
pub use hosted::HostedLogin;
pub use login::{LoginOutcome, Tokens};
pub use manage::{UpdateUser, UserRef};
pub use signup::SignupInfo;
