//! Provisioning from an identity provider (SCIM 2.0, DESIGN §1's `scim`
//! function). The protocol — its resources, filters and PATCH — is the
//! `api` crate's; what it may do to an account is here:
//!
//! - `tokens`: the account's SCIM tokens (create, list, revoke) and who a
//!   presented token makes the caller.
//! - `users`: creating, reading and changing users as a whole.
//! - `groups`: creating groups with members, and moving members.
//!
//! A SCIM caller acts as an admin of its account that is no user: it may do
//! what an admin may (never to the owner, never grant `owner`), and the
//! audit log names the token (`actor.id` is the token's id, `actor.email`
//! empty).

mod groups;
mod tokens;
mod users;

pub use groups::{Members, MAX_MEMBERS};

pub use tokens::SCIM_ACTOR_NAME;
pub use users::{external_id, is_active, ProvisionedUser, MAX_EXTERNAL_ID, MAX_USER_NAME};
pub(crate) use users::{held_claim, name_taken};
