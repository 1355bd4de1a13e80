use std::fmt;

use crate::error::{Error, Result};

/// What a user may do in its account. Ordered: owner > admin > user > viewer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    User,
    Admin,
    Owner,
}

impl Role {
    /// Every role, highest first.
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::User, Role::Viewer];

    pub fn parse(raw: &str) -> Result<Role> {
        match raw {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "user" => Ok(Role::User),
            "viewer" => Ok(Role::Viewer),
            _ => Err(Error::invalid(
                "role",
                "role must be one of owner, admin, user, viewer",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::User => "user",
            Role::Viewer => "viewer",
        }
    }

    /// Admins and the owner administer the account.
    pub fn is_admin(self) -> bool {
        self >= Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a user is in its life: invited, signed up, or switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserState {
    Pending,
    Active,
    Disabled,
}

impl UserState {
    pub const ALL: [UserState; 3] = [UserState::Pending, UserState::Active, UserState::Disabled];

    pub fn parse(raw: &str) -> Result<UserState> {
        match raw {
            "pending" => Ok(UserState::Pending),
            "active" => Ok(UserState::Active),
            "disabled" => Ok(UserState::Disabled),
            _ => Err(Error::invalid(
                "state",
                "state must be one of pending, active, disabled",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            UserState::Pending => "pending",
            UserState::Active => "active",
            UserState::Disabled => "disabled",
        }
    }
}
