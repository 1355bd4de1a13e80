//! Who may do what to whom. Every permission rule of the API lives here.

use crate::domain::Role;
use crate::error::{Error, Result};
use crate::repo::User;

/// Only admins and the owner administer an account.
pub fn require_admin(caller: &User) -> Result<()> {
    if caller.role.is_admin() {
        Ok(())
    } else {
        Err(Error::Forbidden("only an admin may do this"))
    }
}

/// Only the owner changes the account's plan.
pub fn require_owner(caller: &User) -> Result<()> {
    if caller.role == Role::Owner {
        Ok(())
    } else {
        Err(Error::Forbidden("only the owner may change the plan"))
    }
}

/// Users act on themselves; admins on anyone in their account.
pub fn require_self_or_admin(caller: &User, target: crate::domain::UserId) -> Result<()> {
    if caller.id == target {
        Ok(())
    } else {
        require_admin(caller)
    }
}

/// An admin grants at most its own role, and nobody grants `owner`: an
/// account has exactly one owner.
pub fn require_grantable(caller: &User, role: Role) -> Result<()> {
    if role == Role::Owner {
        return Err(Error::Forbidden("the owner role cannot be granted"));
    }
    if role > caller.role {
        return Err(Error::Forbidden(
            "an admin cannot grant a role above its own",
        ));
    }
    Ok(())
}

/// Checks for changing another user's role, state or MFA, or removing it.
pub fn require_may_manage(caller: &User, target: &User, action: Managing) -> Result<()> {
    require_admin(caller)?;
    if caller.id == target.id {
        return Err(Error::Forbidden(match action {
            Managing::Role => "nobody changes their own role",
            Managing::Remove => "nobody removes themselves",
            Managing::State => "nobody disables themselves",
            Managing::Mfa => "nobody resets their own MFA; turn it off with a code",
        }));
    }
    if target.role == Role::Owner {
        return Err(Error::Forbidden(match action {
            Managing::Role => "the owner's role cannot be changed",
            Managing::Remove => "the owner cannot be removed",
            Managing::State => "the owner cannot be disabled",
            Managing::Mfa => "the owner's MFA cannot be reset by an admin",
        }));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub enum Managing {
    Role,
    Remove,
    State,
    Mfa,
}
