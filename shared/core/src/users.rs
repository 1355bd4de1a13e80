//! User use cases: each file one part of a user's life.

mod auth;
mod codes;
mod find;
mod hosted;
mod invite;
mod login;
mod manage;
mod mfa;
mod password;
mod register;
mod resend;
mod sessions;
mod signup;
mod write;

pub use auth::Caller;
pub use codes::RECOVERY_CODES;
pub use find::{FindUsers, UserFilter};
pub use hosted::HostedLogin;
pub(crate) use invite::{invite_mail, mail_not_sent, Invitee};
pub use login::LoginOutcome;
pub use manage::{UpdateUser, UserRef};
pub use mfa::{otpauth_uri, MfaSecret};
pub use sessions::Tokens;
pub use signup::SignupInfo;
