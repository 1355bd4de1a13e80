//! New accounts: the first one from start-up flags, and open registration.
//!
//! Open registration proves the mailbox before anything exists:
//! `{register: true, email, password, accountName}` answers the same
//! `202 {}`, in at least 300 ms, whether the e-mail is new or taken, and
//! mails either a link that creates the account once followed through
//! `user/signup`, or (to a taken address) a note that it already has an
//! account. Nobody learns whether an address is taken, and nobody can squat
//! an address they can't read. The password is checked against the policy
//! (so a mistake shows at once) but not kept: the link's signup sets it,
//! as the identity provider needs it in clear.

use std::time::Instant;

use crate::clock::now_ms;
use crate::domain::{AccountId, AccountName, Email, Name, Password, Role, UserId, UserState};
use crate::error::{Error, Result};
use crate::mail;
use crate::plans;
use crate::repo::claims::{self, EmailClaim};
use crate::repo::tokens::{self, FoundToken, Kind, NewToken};
use crate::repo::{limits, password_locks, Account, User};
use crate::roster::{OpId, Tx};
use crate::Roster;

use super::password::pace;
use super::signup::{email_taken, registration};

/// How a new active user logs in.
#[derive(Clone, Copy)]
pub(crate) enum NewLogin<'a> {
    /// roster creates the login at the identity provider with this password.
    Password(&'a Password),
    /// The hosted-UI identity with this `sub` is linked; the pool already has it.
    Hosted(&'a str),
}

impl Roster {
    /// `{register: true, email, password, accountName}` under open
    /// registration: mails a link (see the module's doc). Always `Ok(())`
    /// when the input is well-formed.
    pub async fn register(&self, email: &str, password: &str, account_name: &str) -> Result<()> {
        let started = Instant::now();
        if !self.settings.open_registration {
            return Err(Error::Forbidden("registration is closed on this server"));
        }
        let name = AccountName::parse(account_name)?;
        let email = Email::parse(email)?;
        Password::parse(password, &email)?;
        let result = self.send_registration(&email, &name).await;
        pace(started).await;
        result
    }

    async fn send_registration(&self, email: &Email, name: &AccountName) -> Result<()> {
        let table = self.table.as_ref();
        // At most 3 mails an hour per address: nobody floods a mailbox.
        if !limits::REGISTER_MAIL.take(table, email, None).await? {
            return Ok(());
        }
        let mail = if claims::get(table, email).await?.is_some() {
            mail::already_registered(
                email.as_str(),
                &format!("{}/login", self.settings.public_url),
                &format!("{}/reset", self.settings.public_url),
            )
        } else {
            let token = NewToken::register(email, name.as_str())?;
            let mut tx = Tx::new();
            tx.push(token.insert_op()?);
            self.write(tx, |_| None).await?;
            mail::register(
                email.as_str(),
                name.as_str(),
                &self.invite_url(&token.secret),
                token.record.expires,
            )
        };
        // The same answer whatever happens here (see `forgot_password`).
        if let Err(e) = self.mailer.send(&mail).await {
            tracing::error!(error = %e, "registration e-mail not sent");
        }
        Ok(())
    }

    /// `user/signup` with a registration link: the account and its owner,
    /// with the ids the link was made with (so it works once).
    pub(crate) async fn finish_registration(
        &self,
        found: FoundToken,
        first: Option<Name>,
        last: Option<Name>,
        password: &str,
    ) -> Result<(User, Account)> {
        if !self.settings.open_registration {
            return Err(Error::Forbidden("registration is closed on this server"));
        }
        let (email, name) = registration(&found)?;
        let password = Password::parse(password, &email)?;
        let uid = found.record.user_id;
        let ids = (found.record.account_id, uid);
        let (account, mut owner) =
            new_account(&name, &self.settings.registration_plan, &email, ids)?;
        if let Some(first) = first {
            owner.first = first.as_str().to_string();
        }
        if let Some(last) = last {
            owner.last = last.as_str().to_string();
        }
        // Another signup with this link may have finished meanwhile.
        let checks = vec![tokens::unspent_op(&found.hash)];
        self.under_password_lock(uid, used_registration, checks, |holder| async move {
            let mut tx = Tx::new();
            let spent = tx.push(tokens::spend_op(&found.hash));
            let released = tx.push(password_locks::release_op(uid, &holder));
            let login = NewLogin::Password(&password);
            self.open_account(account, owner, login, tx, |failed| {
                (failed == spent || failed == released).then(used_registration)
            })
            .await
        })
        .await
    }

    /// Creates an account and its owner with a password (the first one, from
    /// start-up flags), with `extra` in the same transaction.
    pub async fn create_account(
        &self,
        name: &AccountName,
        plan: &str,
        email: &Email,
        password: &Password,
        extra: Tx,
    ) -> Result<(User, Account)> {
        let (account, owner) = new_account(name, plan, email, (AccountId::new(), UserId::new()))?;
        self.open_account(account, owner, NewLogin::Password(password), extra, |_| {
            None
        })
        .await
    }

    /// Stores an account and its owner, whose login is made from a password
    /// or linked from a hosted-UI identity; `tx` holds the caller's own ops,
    /// whose failures `on_extra` names.
    pub(crate) async fn open_account(
        &self,
        account: Account,
        mut owner: User,
        login: NewLogin<'_>,
        mut tx: Tx,
        on_extra: impl Fn(OpId) -> Option<Error>,
    ) -> Result<(User, Account)> {
        let email = owner.email.clone();
        // Refuse a taken e-mail before the identity provider is touched.
        if claims::get(self.table.as_ref(), &email).await?.is_some() {
            return Err(email_taken());
        }
        let claim = EmailClaim {
            user_id: owner.id,
            account_id: account.id,
        };
        let opened = tx.push(account.insert_op()?);
        let linked = match login {
            NewLogin::Password(password) => {
                self.identity
                    .create_login(&owner.id.to_string(), email.as_str(), password.as_str())
                    .await?;
                owner.password_changed = now_ms();
                None
            }
            NewLogin::Hosted(subject) => {
                owner.idp = Some(subject.to_string());
                Some(tx.push(claims::link_op(subject, &claim)?))
            }
        };
        tx.push(owner.insert_op()?);
        let claimed = tx.push(claims::claim_op(&email, &claim)?);
        self.write(tx, |failed| {
            if failed == claimed {
                Some(email_taken())
            } else if Some(failed) == linked {
                Some(identity_linked())
            } else if failed == opened {
                Some(Error::TokenInvalid("the link was already used"))
            } else {
                on_extra(failed)
            }
        })
        .await?;
        Ok((owner, account))
    }
}

/// An account on `plan` and its owner, not yet stored.
pub(crate) fn new_account(
    name: &AccountName,
    plan: &str,
    email: &Email,
    (aid, uid): (AccountId, UserId),
) -> Result<(Account, User)> {
    let plan = plans::parse(plan)?;
    let now = now_ms();
    let account = Account::new(aid, name.as_str().to_string(), plan, now);
    let owner = User::new(uid, aid, email.clone(), Role::Owner, UserState::Active, now);
    Ok((account, owner))
}

fn used_registration() -> Error {
    tokens::used(Kind::Register)
}

pub(crate) fn identity_linked() -> Error {
    Error::conflict(
        "register",
        "this identity is already linked to a user; log in with the token alone",
    )
}
