//! Every rule and error of DESIGN §4 for the user and account operations,
//! driven through the router in process. Each test names the rule it pins.

mod accounts;
mod admin;
mod auth;
mod errors;
mod faults;
mod find;
mod hosted;
mod limits;
mod mfa;
mod mfa_login;
mod mfa_reset;
mod passwords;
mod register;
mod sessions;
mod signup;
mod users;
