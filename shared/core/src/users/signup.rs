//! Finishing an invite: reading it (never spends it) and signing up (spends it once).

use crate::clock::now_ms;
use crate::domain::{Email, Name, Password, UserState};
use crate::error::{Error, Result};
use crate::repo::claims::{self, EmailClaim};
use crate::repo::tokens::{self, FoundToken};
use crate::repo::{accounts, get_many, keys, users, Account, User};
use crate::Roster;

use super::login::NewLogin;

/// What an invitee sees before signing up.
pub struct SignupInfo {
    pub user: User,
    pub account: Account,
    pub expires: i64,
}

/// A pending user found by its current invite token, with what signing up
/// needs to know, read together.
pub(crate) struct Pending {
    pub user: User,
    pub found: FoundToken,
    pub account: Account,
    /// Whether some user (in any account) already holds the e-mail.
    pub email_taken: bool,
}

const USED: &str = "the invite link is invalid or was already used";

impl Roster {
    /// Reads an invite without spending it: mail scanners open links too.
    pub async fn signup_info(&self, token: &str) -> Result<SignupInfo> {
        let pending = self.pending_for(token).await?;
        Ok(SignupInfo {
            user: pending.user,
            account: pending.account,
            expires: pending.found.record.expires,
        })
    }

    /// Signs up from an invite: sets the password, activates the user, takes
    /// the e-mail's global claim and spends the token, all or nothing.
    pub async fn signup(
        &self,
        token: &str,
        first: Option<Name>,
        last: Option<Name>,
        password: &str,
    ) -> Result<(User, Account)> {
        let pending = self.pending_for(token).await?;
        let password = Password::parse(password, &pending.user.email)?;
        self.activate(pending, first, last, NewLogin::Password(&password))
            .await
    }

    /// Turns a pending user active with its login, all or nothing.
    pub(crate) async fn activate(
        &self,
        pending: Pending,
        first: Option<Name>,
        last: Option<Name>,
        login: NewLogin<'_>,
    ) -> Result<(User, Account)> {
        let Pending {
            mut user,
            found,
            account,
            email_taken: taken,
        } = pending;
        if taken {
            return Err(email_taken());
        }
        match login {
            // The login first: repeating it is harmless, and a user is never
            // active without one.
            NewLogin::Password(password) => {
                self.identity
                    .create_login(&user.id.to_string(), user.email.as_str(), password.as_str())
                    .await?
            }
            NewLogin::Hosted(subject) => user.idp = Some(subject.to_string()),
        }
        if let Some(first) = first {
            user.first = first.as_str().to_string();
        }
        if let Some(last) = last {
            user.last = last.as_str().to_string();
        }
        user.state = UserState::Active;
        user.invite_hash = None;
        let claim = EmailClaim {
            user_id: user.id,
            account_id: user.account_id,
        };
        let mut ops = vec![
            tokens::spend_op(&found.hash),
            user.replace_op(now_ms())?,
            claims::claim_op(&user.email, &claim)?,
            claims::uninvite_op(user.account_id, &user.email),
        ];
        if let Some(subject) = &user.idp {
            ops.push(claims::link_op(subject, &claim)?);
        }
        self.write(ops, |i| match i {
            0 | 1 => Some(Error::TokenInvalid(USED)),
            2 => Some(email_taken()),
            4 => Some(super::login::identity_linked()),
            _ => None,
        })
        .await?;
        Ok((user, account))
    }

    /// The pending user an invite token names, if the token is its current
    /// one: the token, then the user, its account and its e-mail's claim in
    /// one batch (the token names the e-mail).
    pub(crate) async fn pending_for(&self, token: &str) -> Result<Pending> {
        let table = self.table.as_ref();
        let found = tokens::find_invite(table, token).await?;
        let (aid, uid) = (found.record.account_id, found.record.user_id);
        let (user, account, email_taken) = match found.record.email.as_deref() {
            Some(email) => {
                let email = Email::from_stored(email.to_string());
                let [user, account, claim] = get_many(
                    table,
                    [
                        keys::user(aid, uid),
                        keys::account(aid),
                        keys::email_claim(&email),
                    ],
                )
                .await?;
                let user = user
                    .map(User::from_item)
                    .transpose()?
                    .ok_or(Error::TokenInvalid(USED))?;
                // A corrected e-mail voids the link; this is that link.
                if user.email != email {
                    return Err(Error::TokenInvalid(USED));
                }
                (user, accounts::required(aid, account)?, claim.is_some())
            }
            // A token stored before it named its e-mail.
            None => {
                let (user, account) = users::get_with_account(table, aid, uid)
                    .await?
                    .ok_or(Error::TokenInvalid(USED))?;
                let taken = claims::get(table, &user.email).await?.is_some();
                (user, account, taken)
            }
        };
        if user.state != UserState::Pending || user.invite_hash.as_deref() != Some(&found.hash) {
            return Err(Error::TokenInvalid(USED));
        }
        Ok(Pending {
            user,
            found,
            account,
            email_taken,
        })
    }
}

fn email_taken() -> Error {
    Error::conflict(
        "email",
        "this email already belongs to a user; log in instead",
    )
}

impl Roster {
    /// `user/login` `{invite, password, first?, last?}`: signs up and logs in at once.
    pub async fn signup_and_login(
        &self,
        token: &str,
        first: Option<Name>,
        last: Option<Name>,
        password: &str,
    ) -> Result<super::Tokens> {
        let (user, account) = self.signup(token, first, last, password).await?;
        self.start_session(user, account, None).await
    }
}
