//! What a signed-in user does to itself, and what it reads of its account:
//! `userinfo`, `update_user`, `reset_password`, `generate_mfa_token`,
//! `set_mfa`, `package_inquiry`. Their bodies tolerate fields they don't
//! name (a client may send a whole object); a wrong type is 400.

use roster_core::domain::{AccountName, Name};
use roster_core::users::UpdateUser;
use roster_core::Roster;
use schemars::JsonSchema;
use serde::Deserialize;

use super::shapes;
use super::{CompatError, CompatReply};
use crate::Call;

pub async fn userinfo(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let caller = call.caller()?;
    let account = roster.get_account(caller).await?;
    CompatReply::json(&shapes::user_info(&caller.user, &account))
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatUpdateUser")]
pub(crate) struct UpdateUserBody {
    /// Admins only, when it differs from the account's name.
    #[schemars(with = "Option<crate::schema::Title>")]
    account_name: Option<String>,
    #[schemars(with = "Option<crate::schema::Name>")]
    first_name: Option<String>,
    #[schemars(with = "Option<crate::schema::Name>")]
    last_name: Option<String>,
}

/// The caller's names and, for an admin, the account's name (anyone else
/// naming a different account name is refused `ACCESS`, before any write).
pub async fn update_user(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: UpdateUserBody = call.body()?;
    let caller = call.caller()?;
    let first = b
        .first_name
        .as_deref()
        .map(|n| Name::parse("firstName", n))
        .transpose()?;
    let last = b
        .last_name
        .as_deref()
        .map(|n| Name::parse("lastName", n))
        .transpose()?;
    let account_name = b
        .account_name
        .as_deref()
        .map(|n| AccountName::parse_field("accountName", n))
        .transpose()?;
    let account = roster.get_account(caller).await?;
    let rename = account_name.filter(|n| n.as_str() != account.name);
    if rename.is_some() {
        roster_core::policy::require_admin(&caller.user)?;
    }
    let user = roster
        .update_user(
            caller,
            UpdateUser {
                id: None,
                first,
                last,
                preferences: None,
                email: None,
                state: None,
            },
        )
        .await?;
    let account = match rename {
        Some(name) => {
            let change = roster_core::accounts::AccountChange {
                name: Some(name),
                ..Default::default()
            };
            roster.update_account(caller, change).await?
        }
        None => account,
    };
    CompatReply::json(&shapes::user_info(&user, &account))
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatResetPassword")]
pub(crate) struct ResetPasswordBody {
    #[schemars(with = "crate::schema::NewPassword")]
    password: String,
    #[schemars(with = "crate::schema::CurrentPassword")]
    current_password: String,
}

pub async fn reset_password(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: ResetPasswordBody = call.body()?;
    roster
        .change_password(call.caller()?, &b.current_password, &b.password)
        .await?;
    Ok(CompatReply::Empty)
}

/// The bare secret, as `text/plain`.
pub async fn generate_mfa_token(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let secret = roster.mfa_secret(call.caller()?).await?;
    Ok(CompatReply::Text(secret.secret))
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatSetMfa")]
pub(crate) struct SetMfaBody {
    enabled: bool,
    /// A current code: of the new secret to turn MFA on, of the
    /// authenticator (or a recovery code) to turn it off.
    #[schemars(with = "Option<crate::schema::Code>")]
    user_code: Option<String>,
}

/// MFA on (with a code of the new secret) or off. roster asks for a current
/// code to turn it off too (the native `user/setMfa`'s rule): without one
/// the answer is `INVALID`, so a stolen token can't remove the second factor.
pub async fn set_mfa(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: SetMfaBody = call.body()?;
    let code = b.user_code.unwrap_or_default();
    roster.set_mfa(call.caller()?, b.enabled, &code).await?;
    Ok(CompatReply::Empty)
}

pub async fn package_inquiry(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let account = roster.get_account(call.caller()?).await?;
    CompatReply::json(&shapes::package_inquiry(&account))
}
