//! `user/login` with an id token from the Cognito hosted UI (DESIGN §4):
//! `{}` logs in the user the identity is linked to, `{register: true}` links it
//! to a new account, `{invite}` to the invited user.
//!
//! Decisions where DESIGN is silent (README, "Decisions"):
//! - The identity is linked by its `sub` (an `IDP#<sub>` item), one user per
//!   identity, and the user also takes the e-mail's global claim, as any
//!   active user does.
//! - `register` is open registration: off unless the server allows it, and
//!   the token's e-mail must be verified by the pool (nobody registers an
//!   address they have not proven). The account is named `accountName`, or
//!   the e-mail address when none is given.
//! - `invite` needs the token's e-mail to be the invited one: the invite
//!   proves the mailbox, the token who holds it, and both must name one person.
//! - roster did not create a linked user's login, so it doesn't administer it:
//!   disabling and removing such a user act in roster only (which is where
//!   every request and login is checked), and its password is changed in the
//!   hosted UI.

use crate::auth::HostedIdentity;
use crate::domain::{AccountId, AccountName, Email, Name, UserId, UserState};
use crate::error::{Error, Result};
use crate::repo::tokens::{self, Kind};
use crate::repo::{claims, users, Account, User};
use crate::roster::Tx;
use crate::Roster;

use super::register::{new_account, NewLogin};
use super::Tokens;

/// The body that came with the hosted-UI token.
pub enum HostedLogin {
    /// `{}`: the user this identity is linked to.
    Linked,
    /// `{register: true, accountName?}`.
    Register { account_name: Option<String> },
    /// `{invite, first?, last?}`.
    Invite {
        token: String,
        first: Option<Name>,
        last: Option<Name>,
    },
}

const NOT_LINKED: &str =
    "this identity is not linked to a user; log in with {register: true} or {invite}";

impl Roster {
    pub async fn login_hosted(&self, id_token: &str, form: HostedLogin) -> Result<Tokens> {
        let hosted = self.hosted_ui.as_ref().ok_or(Error::Unauthenticated(
            "this server accepts no hosted-UI tokens",
        ))?;
        let identity = hosted.verify(id_token).await?;
        match form {
            HostedLogin::Linked => {
                let table = self.table.as_ref();
                let link = match claims::get_link(table, &identity.subject).await? {
                    Some(link) => link,
                    // Not linked yet: a user provisioned to join through
                    // the hosted UI, with this identity's e-mail, joins now.
                    None => match self.join_hosted(&identity).await {
                        Ok((user, account)) => {
                            return self.start_session(user, account, None, None).await
                        }
                        // A parallel first login of this identity may have
                        // joined meanwhile (spending the invite this one
                        // read): then it logs in as the user that one linked.
                        Err(e) => claims::get_link(table, &identity.subject).await?.ok_or(e)?,
                    },
                };
                let (user, account) = users::get_with_account(table, link.account_id, link.user_id)
                    .await?
                    .ok_or(Error::Unauthenticated(NOT_LINKED))?;
                if user.state == UserState::Disabled {
                    return Err(Error::Forbidden("this user is disabled"));
                }
                self.start_session(user, account, None, None).await
            }
            HostedLogin::Register { account_name } => {
                if !self.settings.open_registration {
                    return Err(Error::Forbidden("registration is closed on this server"));
                }
                if !identity.email_verified {
                    return Err(Error::Forbidden(
                        "the identity's e-mail address is not verified",
                    ));
                }
                let email = Email::parse(&identity.email)?;
                let name = match account_name {
                    Some(name) => AccountName::parse(&name)?,
                    None => AccountName::parse(&default_account_name(&email))?,
                };
                let login = NewLogin::Hosted(&identity.subject);
                let ids = (AccountId::new(), UserId::new());
                let (account, owner) =
                    new_account(&name, &self.settings.registration_plan, &email, ids)?;
                let (user, account) = self
                    .open_account(account, owner, login, Tx::new(), |_| None)
                    .await?;
                self.start_session(user, account, None, None).await
            }
            HostedLogin::Invite { token, first, last } => {
                let pending = self.pending_for(&token).await?;
                let email = Email::parse(&identity.email)?;
                if email != pending.user.email {
                    return Err(Error::Forbidden(
                        "this invite is for another e-mail address than the identity's",
                    ));
                }
                let login = NewLogin::Hosted(&identity.subject);
                let (user, account) = self.activate(pending, first, last, login).await?;
                self.start_session(user, account, None, None).await
            }
        }
    }
}

impl Roster {
    /// The pending user an identity joins as, with no invite link: one a
    /// SCIM client provisioned while its account sends such users no mail
    /// (`User::hosted_join`), whose e-mail is the identity's, verified by
    /// the pool. It is activated as a signup with its invite would be (the
    /// invite's token is spent, under the same conditions).
    async fn join_hosted(&self, identity: &HostedIdentity) -> Result<(User, Account)> {
        if !identity.email_verified {
            return Err(Error::Unauthenticated(NOT_LINKED));
        }
        let Ok(email) = Email::parse(&identity.email) else {
            return Err(Error::Unauthenticated(NOT_LINKED));
        };
        let table = self.table.as_ref();
        let mut joinable = Vec::new();
        for (aid, invited) in claims::invites_of(table, &email, MAX_HOSTED_JOINS).await? {
            if let Some(user) = users::get(table, aid, invited.user_id).await? {
                let waits = user.state == UserState::Pending && user.hosted_join && !user.inactive;
                if let (true, Some(hash)) = (waits, user.invite_hash.clone()) {
                    joinable.push(hash);
                }
            }
        }
        let hash = match joinable.len() {
            0 => return Err(Error::Unauthenticated(NOT_LINKED)),
            1 => joinable.remove(0),
            _ => {
                return Err(Error::Conflict {
                    field: None,
                    message: "several accounts await this identity; join one with its invite link"
                        .into(),
                })
            }
        };
        let found = tokens::find_hash(table, hash, &[Kind::Invite]).await?;
        let pending = self.pending_from(found).await?;
        let login = NewLogin::Hosted(&identity.subject);
        self.activate(pending, None, None, login).await
    }
}

/// The most pending invites of one e-mail a hosted-UI join looks through.
const MAX_HOSTED_JOINS: usize = 10;

/// The e-mail address, cut to an account name's 100 characters.
fn default_account_name(email: &Email) -> String {
    email.as_str().chars().take(100).collect()
}
