//! Validated values. The only way to hold one is to parse it, so the rest of
//! the code never sees an invalid e-mail, id, role or password.

mod email;
mod ids;
mod password;
mod role;
mod text;

pub use email::Email;
pub use ids::{AccountId, GroupId, MembershipId, ScimTokenId, SessionId, UserId};
pub use password::Password;
pub use role::{Role, UserState};
pub use text::{fold, AccountName, Description, GroupName, Name, Preferences};
