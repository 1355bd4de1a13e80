//! Following a mailed link to join: reading it (never spends it) and signing
//! up (spends it once). An invite's link activates its pending user; an open
//! registration's link creates the account and its owner.

use crate::clock::now_ms;
use crate::domain::{AccountName, Email, Name, Password, Role, UserState};
use crate::error::{Error, Result};
use crate::groups::copies_in_tx;
use crate::ports::PasswordCheck;
use crate::repo::claims::{self, EmailClaim};
use crate::repo::tokens::{self, FoundToken, Kind};
use crate::repo::{accounts, get_many, keys, password_locks, users, Account, User};
use crate::roster::Tx;
use crate::Roster;

use super::register::NewLogin;

/// What someone who follows a link sees before signing up.
pub struct SignupInfo {
    /// The pending user's id (a registration's: the id its owner will get).
    pub user_id: crate::domain::UserId,
    /// When the pending user was made (a registration's: its link issued).
    pub created: i64,
    pub email: Email,
    pub first: String,
    pub last: String,
    pub role: Role,
    pub account_name: String,
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

/// The link is not this pending user's current one (resent, corrected, or
/// the user is gone).
const REPLACED: &str = "the invite link is not valid; it may have been replaced by a newer one";

/// The link is being used by another request right now.
fn in_use() -> Error {
    tokens::used(Kind::Invite)
}

impl Roster {
    /// Reads a link without spending it: mail scanners open links too.
    pub async fn signup_info(&self, token: &str) -> Result<SignupInfo> {
        let found =
            tokens::find(self.table.as_ref(), token, &[Kind::Invite, Kind::Register]).await?;
        if found.record.kind == Kind::Register {
            let (email, name) = registration(&found)?;
            return Ok(SignupInfo {
                user_id: found.record.user_id,
                created: found.record.issued,
                email,
                first: String::new(),
                last: String::new(),
                role: Role::Owner,
                account_name: name.as_str().to_string(),
                expires: found.record.expires,
            });
        }
        let pending = self.pending_from(found).await?;
        Ok(SignupInfo {
            user_id: pending.user.id,
            created: pending.user.created,
            email: pending.user.email,
            first: pending.user.first,
            last: pending.user.last,
            role: pending.user.role,
            account_name: pending.account.name,
            expires: pending.found.record.expires,
        })
    }

    /// Signs up from a link: sets the password and activates the invited
    /// user (or creates the registered account and its owner), takes the
    /// e-mail's global claim and spends the token, all or nothing.
    pub async fn signup(
        &self,
        token: &str,
        first: Option<Name>,
        last: Option<Name>,
        password: &str,
    ) -> Result<(User, Account)> {
        let found =
            tokens::find(self.table.as_ref(), token, &[Kind::Invite, Kind::Register]).await?;
        if found.record.kind == Kind::Register {
            return self.finish_registration(found, first, last, password).await;
        }
        let pending = self.pending_from(found).await?;
        let password = Password::parse(password, &pending.user.email)?;
        self.activate(pending, first, last, NewLogin::Password(&password))
            .await
    }

    /// Turns a pending user active with its login, all or nothing. A
    /// password is set only under the login's password lock, so of two
    /// signups with one link only the winner's password is ever set.
    pub(crate) async fn activate(
        &self,
        pending: Pending,
        first: Option<Name>,
        last: Option<Name>,
        login: NewLogin<'_>,
    ) -> Result<(User, Account)> {
        if pending.email_taken {
            return Err(email_taken());
        }
        match login {
            NewLogin::Password(password) => {
                let uid = pending.user.id;
                // Another signup may have finished since the token was read.
                let checks = vec![tokens::unspent_op(&pending.found.hash)];
                self.under_password_lock(uid, in_use, checks, |holder| async move {
                    self.identity
                        .create_login(
                            &uid.to_string(),
                            pending.user.email.as_str(),
                            password.as_str(),
                        )
                        .await?;
                    self.commit_activation(pending, first, last, None, Some(&holder))
                        .await
                })
                .await
            }
            NewLogin::Hosted(subject) => {
                self.commit_activation(pending, first, last, Some(subject), None)
                    .await
            }
        }
    }

    async fn commit_activation(
        &self,
        pending: Pending,
        first: Option<Name>,
        last: Option<Name>,
        subject: Option<&str>,
        lock: Option<&str>,
    ) -> Result<(User, Account)> {
        let Pending {
            mut user,
            found,
            account,
            ..
        } = pending;
        user.idp = subject.map(str::to_string);
        let renamed = first.is_some() || last.is_some();
        if let Some(first) = first {
            user.first = first.as_str().to_string();
        }
        if let Some(last) = last {
            user.last = last.as_str().to_string();
        }
        user.state = UserState::Active;
        user.invite_hash = None;
        user.password_changed = now_ms();
        let claim = EmailClaim {
            user_id: user.id,
            account_id: user.account_id,
        };
        let mut tx = Tx::new();
        let spent = tx.push(tokens::spend_op(&found.hash));
        let activated = tx.push(user.replace_op(now_ms())?);
        let claimed = tx.push(claims::claim_op(&user.email, &claim)?);
        tx.push(claims::uninvite_op(user.account_id, &user.email));
        let linked = match &user.idp {
            Some(subject) => Some(tx.push(claims::link_op(subject, &claim)?)),
            None => None,
        };
        let locked = lock.map(|holder| tx.push(password_locks::release_op(user.id, holder)));
        if renamed {
            // An invitee put in groups before signing up: the names its
            // memberships copied are the invite's.
            tx.extend(copies_in_tx(&user));
        }
        self.write(tx, |failed| {
            if failed == spent || failed == activated || Some(failed) == locked {
                Some(tokens::used(Kind::Invite))
            } else if failed == claimed {
                Some(email_taken())
            } else if Some(failed) == linked {
                Some(super::register::identity_linked())
            } else {
                None
            }
        })
        .await?;
        if renamed {
            self.refresh_copies(&user).await;
        }
        Ok((user, account))
    }

    /// The pending user an invite token names, if the token is its current one.
    pub(crate) async fn pending_for(&self, token: &str) -> Result<Pending> {
        let found = tokens::find(self.table.as_ref(), token, &[Kind::Invite]).await?;
        self.pending_from(found).await
    }

    /// The token's user, its account and its e-mail's claim in one batch
    /// (the token names the e-mail).
    pub(crate) async fn pending_from(&self, found: FoundToken) -> Result<Pending> {
        let table = self.table.as_ref();
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
                    .ok_or(Error::TokenInvalid(REPLACED))?;
                // A corrected e-mail voids the link; this is that link.
                if user.email != email {
                    return Err(Error::TokenInvalid(REPLACED));
                }
                (
                    user,
                    accounts::required(table, aid, account).await?,
                    claim.is_some(),
                )
            }
            // A token stored before it named its e-mail.
            None => {
                let (user, account) = users::get_with_account(table, aid, uid)
                    .await?
                    .ok_or(Error::TokenInvalid(REPLACED))?;
                let taken = claims::get(table, &user.email).await?.is_some();
                (user, account, taken)
            }
        };
        if user.state != UserState::Pending || user.invite_hash.as_deref() != Some(&found.hash) {
            return Err(Error::TokenInvalid(REPLACED));
        }
        Ok(Pending {
            user,
            found,
            account,
            email_taken,
        })
    }

    /// `user/login` `{invite, password, first?, last?}`: signs up and logs in
    /// at once (an invite's link or a registration's).
    pub async fn signup_and_login(
        &self,
        token: &str,
        first: Option<Name>,
        last: Option<Name>,
        password: &str,
    ) -> Result<super::Tokens> {
        let (user, account) = self.signup(token, first, last, password).await?;
        // A provider that hands out grants (Cognito) gives one at a login:
        // log in once, so this session can enrol MFA like any other.
        let grant = if self.identity.needs_grant() {
            match self
                .identity
                .check_password(Some(&user.id.to_string()), password)
                .await?
            {
                PasswordCheck::Ok { grant } => grant,
                _ => None,
            }
        } else {
            None
        };
        self.start_session(user, account, grant, None).await
    }
}

/// The e-mail and account name a registration link was mailed for.
pub(crate) fn registration(found: &FoundToken) -> Result<(Email, AccountName)> {
    let email = found
        .record
        .email
        .as_deref()
        .map(|e| Email::from_stored(e.to_string()))
        .ok_or_else(|| Error::Internal("a registration token without its e-mail".into()))?;
    let name = AccountName::parse(found.record.account_name.as_deref().unwrap_or_default())?;
    Ok((email, name))
}

pub(crate) fn email_taken() -> Error {
    Error::conflict(
        "email",
        "this email already belongs to a user; log in instead",
    )
}
