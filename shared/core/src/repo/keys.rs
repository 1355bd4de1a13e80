//! Every key of the table, built in one place.

use crate::domain::{AccountId, Email, ScimTokenId, SessionId, UserId};
use crate::ports::Key;

pub fn account_pk(aid: AccountId) -> String {
    format!("ACCT#{aid}")
}

pub fn account(aid: AccountId) -> Key {
    Key::new(account_pk(aid), "ACCT")
}

pub fn user(aid: AccountId, uid: UserId) -> Key {
    Key::new(account_pk(aid), format!("USER#{uid}"))
}

/// The partition of an account's users in `gs1`.
pub fn users_gs1pk(aid: AccountId) -> String {
    format!("ACCT#{aid}#USER")
}

/// Users sort by e-mail in `gs1`; the id makes the key unique.
pub fn users_gs1sk(email: &Email, uid: UserId) -> String {
    format!("{email}#{uid}")
}

pub fn email_claim(email: &Email) -> Key {
    Key::new(format!("EMAIL#{email}"), "EMAIL")
}

/// The link from a hosted-UI identity (the pool's `sub`) to its roster user.
pub fn identity_link(subject: &str) -> Key {
    Key::new(format!("IDP#{subject}"), "IDP")
}

pub fn invited(aid: AccountId, email: &Email) -> Key {
    Key::new(account_pk(aid), format!("INVITED#{email}"))
}

/// The partition of an e-mail's pending invites in `gs1` (sorted by account).
pub fn invites_gs1pk(email: &Email) -> String {
    format!("INVITED#{email}")
}

pub fn token(hash: &str) -> Key {
    Key::new(format!("TOKEN#{hash}"), "TOKEN")
}

pub fn session(sid: SessionId) -> Key {
    Key::new(format!("SESSION#{sid}"), "SESSION")
}

/// An MFA login challenge.
pub fn challenge(id: &str) -> Key {
    Key::new(format!("CHALLENGE#{id}"), "CHALLENGE")
}

/// The lock on a login while its password is being set.
pub fn password_lock(uid: UserId) -> Key {
    Key::new(format!("PWLOCK#{uid}"), "PWLOCK")
}

pub fn login(uid: &str) -> Key {
    Key::new(format!("LOGIN#{uid}"), "LOGIN")
}

/// The partition of an account's audit log.
pub fn audit_pk(aid: AccountId) -> String {
    format!("ACCT#{aid}#AUDIT")
}

pub fn audit(aid: AccountId, id: &str) -> Key {
    Key::new(audit_pk(aid), id)
}

pub fn group(aid: AccountId, gid: &str) -> Key {
    Key::new(account_pk(aid), format!("GROUP#{gid}"))
}

/// The claim on a group name: its case-folded form.
pub fn group_name(aid: AccountId, folded: &str) -> Key {
    Key::new(account_pk(aid), format!("GNAME#{folded}"))
}

pub fn membership(aid: AccountId, gid: &str, uid: UserId) -> Key {
    Key::new(account_pk(aid), format!("MEMBER#{gid}#{uid}"))
}

/// The partition of a group's members in `gs1` (sorted by e-mail).
pub fn members_gs1pk(aid: AccountId, gid: &str) -> String {
    format!("ACCT#{aid}#GROUP#{gid}")
}

/// A group whose memberships are still being removed.
pub fn group_purge(aid: AccountId, gid: &str) -> Key {
    Key::new(account_pk(aid), format!("PURGE#{gid}"))
}

/// What remains of a removed user (the replaced APIs list it with `deleted=true`).
pub fn tombstone(aid: AccountId, uid: UserId) -> Key {
    Key::new(account_pk(aid), format!("GONE#{uid}"))
}

/// A SCIM token of the account (its hash; the secret is shown once).
pub fn scim_token(aid: AccountId, tid: ScimTokenId) -> Key {
    Key::new(account_pk(aid), format!("SCIMTOKEN#{tid}"))
}

/// The count of the account's SCIM tokens.
pub fn scim_token_count(aid: AccountId) -> Key {
    Key::new(account_pk(aid), "SCIMTOKENS")
}

/// The claim on a SCIM `userName` that is no e-mail address (lower-cased).
pub fn scim_name(aid: AccountId, folded: &str) -> Key {
    Key::new(account_pk(aid), format!("SCIMNAME#{folded}"))
}
