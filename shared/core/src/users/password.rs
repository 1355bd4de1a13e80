//! Changing one's own password.

use crate::clock::now_ms;
use crate::domain::Password;
use crate::error::{Error, Result};
use crate::ports::PasswordCheck;
use crate::Roster;

use super::Caller;

impl Roster {
    /// Checks the current password, sets the new one and signs the user out
    /// everywhere, this session included: whoever knew the old password is
    /// out, and the client logs in again with the new one.
    pub async fn change_password(&self, caller: &Caller, current: &str, new: &str) -> Result<()> {
        if caller.user.idp.is_some() {
            return Err(Error::Forbidden(
                "this user logs in through the hosted UI; change the password there",
            ));
        }
        let password = Password::parse(new, &caller.user.email)?;
        let login = caller.user.id.to_string();
        match self.identity.check_password(Some(&login), current).await? {
            PasswordCheck::Refused => {
                return Err(Error::invalid(
                    "currentPassword",
                    "the current password is wrong",
                ))
            }
            PasswordCheck::Ok | PasswordCheck::MfaRequired { .. } => {}
        }
        self.identity
            .set_password(&login, password.as_str())
            .await?;
        let mut user = caller.user.clone();
        user.sessions_valid_after = now_ms();
        user.revoked.clear();
        let op = user.replace_op(now_ms())?;
        self.write(vec![op], |_| None).await
    }
}
