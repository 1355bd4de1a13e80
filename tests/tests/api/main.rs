//! Every rule and error of DESIGN §4 for the user and account operations,
//! driven through the router in process. Each test names the rule it pins.

mod accounts;
mod admin;
mod audit;
mod auth;
mod compat_groups;
mod compat_import;
mod compat_lists;
mod compat_me;
mod compat_removal;
mod compat_users;
mod errors;
mod faults;
mod find;
mod groups;
mod hosted;
mod import;
mod limits;
mod members;
mod mfa;
mod mfa_login;
mod mfa_reset;
mod openapi;
mod operator;
mod pages;
mod passwords;
mod plans;
mod register;
mod scim_groups;
mod scim_idp;
mod scim_tokens;
mod scim_users;
mod sessions;
mod signup;
mod users;
mod value_rules;
