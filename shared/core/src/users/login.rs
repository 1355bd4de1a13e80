//! Logging in, refreshing and logging out.

use crate::auth::ACCESS_TTL_SECS;
use crate::clock::now_ms;
use crate::domain::{AccountName, Email, Password, Role, SessionId, UserId, UserState};
use crate::error::{Error, Result};
use crate::plans;
use crate::ports::Op;
use crate::ports::PasswordCheck;
use crate::repo::claims::{self, EmailClaim};
use crate::repo::codec::from_item;
use crate::repo::sessions::{self, Session, REFRESH_TTL_MS};
use crate::repo::{get_many, keys, login_failures, users, Account, User};
use crate::Roster;

use super::Caller;

/// What a successful login or refresh hands out.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: User,
    pub account: Account,
}

#[derive(Debug, Clone)]
pub enum LoginOutcome {
    Tokens(Box<Tokens>),
    /// The password was right; a second factor is needed.
    Challenge {
        session: String,
    },
}

const WRONG_CREDENTIALS: &str = "the email or password is wrong";

impl Roster {
    /// `{email, password}`. Known and unknown e-mails take the same path: the
    /// failure counter is read and written by the e-mail's hash, and an unknown
    /// e-mail still costs one password hash, so neither the answer nor its
    /// timing tells whether the e-mail has a user.
    pub async fn login(&self, email: &str, password: &str) -> Result<LoginOutcome> {
        let email = Email::parse(email)?;
        let now = now_ms();
        let table = self.table.as_ref();
        // The failure count and the e-mail's claim in one read.
        let [failures, claim] = get_many(
            table,
            [login_failures::key(&email), keys::email_claim(&email)],
        )
        .await?;
        let failures = login_failures::current_in(failures, now)?;
        if failures
            .as_ref()
            .is_some_and(|f| f.count >= login_failures::MAX_FAILURES)
        {
            return Err(Error::RateLimited);
        }
        let claim = claim.map(from_item::<EmailClaim>).transpose()?;
        let login = claim.as_ref().map(|c| c.user_id.to_string());
        match self
            .identity
            .check_password(login.as_deref(), password)
            .await?
        {
            PasswordCheck::Refused => {
                let op = login_failures::record_op(&email, failures.as_ref(), now)?;
                self.write(vec![op], |_| None).await?;
                Err(Error::Unauthenticated(WRONG_CREDENTIALS))
            }
            PasswordCheck::MfaRequired { session } => Ok(LoginOutcome::Challenge { session }),
            PasswordCheck::Ok => {
                let Some(claim) = claim else {
                    // The identity knows a login roster does not: treat as refused.
                    return Err(Error::Unauthenticated(WRONG_CREDENTIALS));
                };
                let (user, account) =
                    users::get_with_account(table, claim.account_id, claim.user_id)
                        .await?
                        .ok_or(Error::Unauthenticated(WRONG_CREDENTIALS))?;
                if user.state == UserState::Disabled {
                    return Err(Error::Forbidden("this user is disabled"));
                }
                let clear = failures.map(|_| login_failures::clear_op(&email));
                let tokens = self.start_session(user, account, clear).await?;
                Ok(LoginOutcome::Tokens(Box::new(tokens)))
            }
        }
    }

    /// `{register: true, email, password, accountName}`: a new account with the
    /// caller as its owner, when open registration is on.
    pub async fn register(
        &self,
        email: &str,
        password: &str,
        account_name: &str,
    ) -> Result<Tokens> {
        if !self.settings.open_registration {
            return Err(Error::Forbidden("registration is closed on this server"));
        }
        let name = AccountName::parse(account_name)?;
        let email = Email::parse(email)?;
        let password = Password::parse(password, &email)?;
        let (user, account) = self
            .create_account(&name, plans::DEFAULT_PLAN, &email, &password, None)
            .await?;
        self.start_session(user, account, None).await
    }

    /// Creates an account and its owner (first run of the server, and open
    /// registration).
    pub async fn create_account(
        &self,
        name: &AccountName,
        plan: &str,
        email: &Email,
        password: &Password,
        extra: Option<Op>,
    ) -> Result<(User, Account)> {
        self.open_account(name, plan, email, NewLogin::Password(password), extra)
            .await
    }

    /// [`Roster::create_account`], with the owner's login made from a
    /// password or linked from a hosted-UI identity.
    pub(crate) async fn open_account(
        &self,
        name: &AccountName,
        plan: &str,
        email: &Email,
        login: NewLogin<'_>,
        extra: Option<Op>,
    ) -> Result<(User, Account)> {
        let plan = plans::plan(plan)?;
        let now = now_ms();
        let account = Account {
            id: crate::domain::AccountId::new(),
            name: name.as_str().to_string(),
            plan: plan.name.to_string(),
            seats: plan.seats - 1,
            created: now,
            updated: now,
        };
        let user = User {
            id: UserId::new(),
            account_id: account.id,
            email: email.clone(),
            first: String::new(),
            last: String::new(),
            role: Role::Owner,
            state: UserState::Active,
            mfa: false,
            preferences: Default::default(),
            activity: None,
            created: now,
            updated: now,
            version: 0,
            invite_hash: None,
            groups: Vec::new(),
            sessions_valid_after: 0,
            revoked: Default::default(),
            idp: login.subject().map(str::to_string),
        };
        // Refuse a taken e-mail before the identity provider is touched.
        if claims::get(self.table.as_ref(), email).await?.is_some() {
            return Err(email_taken());
        }
        let claim = EmailClaim {
            user_id: user.id,
            account_id: account.id,
        };
        let mut ops = vec![
            account.insert_op()?,
            user.insert_op()?,
            claims::claim_op(email, &claim)?,
        ];
        match login {
            NewLogin::Password(password) => {
                self.identity
                    .create_login(&user.id.to_string(), email.as_str(), password.as_str())
                    .await?
            }
            NewLogin::Hosted(subject) => ops.push(claims::link_op(subject, &claim)?),
        }
        ops.extend(extra);
        self.write(ops, |i| match i {
            2 => Some(email_taken()),
            3 if user.idp.is_some() => Some(identity_linked()),
            _ => None,
        })
        .await?;
        Ok((user, account))
    }

    /// Issues a session for a user whose credentials were just checked
    /// (`account` is its account, to return).
    pub(crate) async fn start_session(
        &self,
        mut user: User,
        account: Account,
        extra: Option<Op>,
    ) -> Result<Tokens> {
        let now = now_ms();
        let sid = SessionId::new();
        let refresh = sessions::new_refresh(sid)?;
        let session = Session {
            id: sid,
            user_id: user.id,
            account_id: user.account_id,
            refresh_hash: refresh.hash,
            created: now,
            expires: now + REFRESH_TTL_MS,
            ttl: (now + REFRESH_TTL_MS) / 1000,
        };
        // Activity is a plain update, not a versioned one: a login must not
        // fail because an admin edited the user at the same moment.
        let mut ops = vec![
            session.insert_op()?,
            Op::update(keys::user(user.account_id, user.id))
                .set("activity", now)
                .when(crate::ports::Cond::Exists),
        ];
        ops.extend(extra);
        self.write(ops, |_| None).await?;
        user.activity = Some(now);
        let access_token = self.keys.sign_access(user.id, user.account_id, sid, now)?;
        Ok(Tokens {
            access_token,
            refresh_token: refresh.token,
            expires_in: ACCESS_TTL_SECS,
            user,
            account,
        })
    }

    /// Trades a refresh token for new tokens; the old refresh token is spent.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens> {
        let refused = || Error::Unauthenticated("the refresh token is invalid or expired");
        let (sid, hash) = sessions::parse_refresh(refresh_token).ok_or_else(refused)?;
        let table = self.table.as_ref();
        let session = sessions::get(table, sid).await?.ok_or_else(refused)?;
        let now = now_ms();
        if session.refresh_hash != hash {
            // A spent token came back: someone holds a copy. End the session.
            self.write(vec![sessions::delete_op(sid)], |_| None).await?;
            return Err(refused());
        }
        if session.expires < now {
            return Err(refused());
        }
        let (user, account) = users::get_with_account(table, session.account_id, session.user_id)
            .await?
            .ok_or_else(refused)?;
        if user.state != UserState::Active
            || !user.session_valid(&sid.to_string(), session.created, now)
        {
            return Err(refused());
        }
        let next = sessions::new_refresh(sid)?;
        let rotate = session.rotate_op(&next.hash, now + REFRESH_TTL_MS);
        // A lost race means another refresh spent this token first.
        self.write(vec![rotate], |_| Some(refused())).await?;
        let access_token = self
            .keys
            .sign_access(user.id, user.account_id, sid, session.created)?;
        Ok(Tokens {
            access_token,
            refresh_token: next.token,
            expires_in: ACCESS_TTL_SECS,
            user,
            account,
        })
    }

    /// Ends this session, or with `all` every session of the caller.
    pub async fn logout(&self, caller: &Caller, all: bool) -> Result<()> {
        let now = now_ms();
        let mut user = caller.user.clone();
        if all {
            user.sessions_valid_after = now;
            user.revoked.clear();
        } else {
            // The access token outlives the session item by up to 15 minutes:
            // remember the session until then, and forget older ones.
            user.revoked.retain(|_, until| *until >= now);
            user.revoked.insert(
                caller.session.to_string(),
                now + (ACCESS_TTL_SECS + 60) * 1000,
            );
        }
        let ops = vec![user.replace_op(now)?, sessions::delete_op(caller.session)];
        self.write(ops, |_| None).await
    }
}

/// How a new active user logs in.
#[derive(Clone, Copy)]
pub(crate) enum NewLogin<'a> {
    /// roster creates the login at the identity provider with this password.
    Password(&'a Password),
    /// The hosted-UI identity with this `sub` is linked; the pool already has it.
    Hosted(&'a str),
}

impl NewLogin<'_> {
    fn subject(&self) -> Option<&str> {
        match self {
            NewLogin::Password(_) => None,
            NewLogin::Hosted(subject) => Some(subject),
        }
    }
}

pub(crate) fn identity_linked() -> Error {
    Error::conflict(
        "register",
        "this identity is already linked to a user; log in with the token alone",
    )
}

fn email_taken() -> Error {
    Error::conflict("email", "this email already belongs to a user")
}
