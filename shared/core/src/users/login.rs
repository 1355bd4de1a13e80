//! Logging in with a password, and answering the MFA challenge that follows
//! when the user has turned MFA on.

use serde::{Deserialize, Serialize};

use crate::clock::{next_ulid, now_ms};
use crate::domain::{AccountId, Email, UserId, UserState};
use crate::error::{Error, Result};
use crate::ports::{CodeCheck, PasswordCheck};
use crate::repo::claims::EmailClaim;
use crate::repo::codec::from_item;
use crate::repo::{accounts, challenges, get_many, keys, limits, users, User};
use crate::roster::Tx;
use crate::Roster;

use super::mfa::{self, Code};
use super::Tokens;

#[derive(Debug, Clone)]
pub enum LoginOutcome {
    Tokens(Box<Tokens>),
    /// The password was right; a second factor is needed. `session` is sealed.
    Challenge {
        session: String,
    },
}

const WRONG_CREDENTIALS: &str = "the email or password is wrong";
const CHALLENGE_REFUSED: &str = "the code is wrong, or the MFA session is invalid or expired";

/// What a challenge session carries, sealed: only roster reads it.
#[derive(Serialize, Deserialize)]
struct ChallengeSession {
    /// The challenge item's id.
    c: String,
    u: UserId,
    a: AccountId,
    /// Expiry, ms.
    e: i64,
    /// The identity provider's own challenge session.
    p: String,
}

/// What seals a challenge session.
const CHALLENGE: &str = "mfa challenge";

impl Roster {
    /// `{email, password}`. Known and unknown e-mails take the same path: an
    /// attempt is taken from the e-mail's limit (by its hash) *before* the
    /// password is checked, and an unknown e-mail still costs one password
    /// check, so neither the answer nor its timing tells whether the e-mail
    /// has a user, and parallel guesses get no more than the limit.
    pub async fn login(&self, email: &str, password: &str) -> Result<LoginOutcome> {
        let email = Email::parse(email)?;
        let table = self.table.as_ref();
        // The attempts and the e-mail's claim in one read.
        let [attempts, claim] = get_many(
            table,
            [limits::LOGIN.key(&email), keys::email_claim(&email)],
        )
        .await?;
        if !limits::LOGIN.take(table, &email, Some(attempts)).await? {
            return Err(Error::RateLimited);
        }
        let claim = claim.map(from_item::<EmailClaim>).transpose()?;
        let login = claim.as_ref().map(|c| c.user_id.to_string());
        let check = self
            .identity
            .check_password(login.as_deref(), password)
            .await?;
        // The identity knows a login roster does not: treat as refused.
        let (check, Some(claim)) = (check, claim) else {
            return Err(Error::Unauthenticated(WRONG_CREDENTIALS));
        };
        match check {
            // The attempt stays counted: that is the failure.
            PasswordCheck::Refused => Err(Error::Unauthenticated(WRONG_CREDENTIALS)),
            // The attempt stays counted until a login completes, so someone
            // who has the password gets no more challenges than the limit.
            PasswordCheck::MfaRequired { session } => self.open_challenge(&claim, session).await,
            PasswordCheck::Ok { grant } => {
                let (user, account) =
                    users::get_with_account(table, claim.account_id, claim.user_id)
                        .await?
                        .ok_or(Error::Unauthenticated(WRONG_CREDENTIALS))?;
                if user.state == UserState::Disabled {
                    return Err(Error::Forbidden("this user is disabled"));
                }
                let clear = limits::LOGIN.clear_op(&email);
                let tokens = self
                    .start_session(user, account, grant, Some(clear))
                    .await?;
                Ok(LoginOutcome::Tokens(Box::new(tokens)))
            }
        }
    }

    /// Stores a challenge and seals its session for the client.
    async fn open_challenge(&self, claim: &EmailClaim, provider: String) -> Result<LoginOutcome> {
        let now = now_ms();
        let id = next_ulid().to_string();
        let mut tx = Tx::new();
        tx.push(challenges::insert_op(&id, claim.user_id, now)?);
        self.write(tx, |_| None).await?;
        let sealed = serde_json::to_vec(&ChallengeSession {
            c: id,
            u: claim.user_id,
            a: claim.account_id,
            e: now + challenges::TTL_MS,
            p: provider,
        })
        .map_err(|e| Error::internal("encoding a challenge", e))?;
        Ok(LoginOutcome::Challenge {
            session: self.keys.seal(CHALLENGE, &sealed)?,
        })
    }

    /// `{session, code}`: completes a login with a TOTP code, or with an
    /// unused recovery code. A wrong code, a dead or an expired session all
    /// answer the same `UNAUTHENTICATED`.
    pub async fn login_with_code(&self, session: &str, code: &str) -> Result<Tokens> {
        let refused = || Error::Unauthenticated(CHALLENGE_REFUSED);
        let sealed = self.keys.open(CHALLENGE, session).ok_or_else(refused)?;
        let challenge: ChallengeSession = serde_json::from_slice(&sealed).map_err(|_| refused())?;
        if challenge.e < now_ms() {
            return Err(refused());
        }
        let code = mfa::parse_code(code).ok_or_else(refused)?;
        let table = self.table.as_ref();
        // One attempt of this challenge is taken before the code is checked:
        // parallel guesses can't get past its limit.
        let mut tx = Tx::new();
        tx.push(challenges::attempt_op(&challenge.c));
        self.write(tx, |_| Some(refused())).await?;
        let [user, account] = get_many(
            table,
            [
                keys::user(challenge.a, challenge.u),
                keys::account(challenge.a),
            ],
        )
        .await?;
        let user = user.map(User::from_item).transpose()?.ok_or_else(refused)?;
        let account = accounts::required(challenge.a, account)?;
        if user.state != UserState::Active {
            return Err(refused());
        }
        let login = user.id.to_string();
        let grant = match &code {
            Code::Totp(totp) => {
                // A code that completed a login doesn't complete another.
                if mfa::code_used(&user, totp, now_ms()) {
                    return Err(refused());
                }
                match self
                    .identity
                    .answer_challenge(&login, &challenge.p, totp)
                    .await?
                {
                    CodeCheck::Ok { grant } => grant,
                    CodeCheck::Refused => return Err(refused()),
                }
            }
            // The provider already checked the password; a recovery code is
            // roster's own, and completes the login here.
            Code::Recovery(_) => None,
        };
        let new = self.new_session(&user, grant)?;
        let now = new.session.created;
        let (user, ()) = self
            .change_user(
                &user,
                |user, tx| {
                    // Checked again on the user as it now stands: a parallel
                    // login may have spent this code.
                    let spent = match &code {
                        Code::Totp(totp) => mfa::spend_totp(user, totp, now),
                        Code::Recovery(recovery) => mfa::spend_recovery(user, recovery),
                    };
                    if !spent {
                        return Err(refused());
                    }
                    user.activity = Some(now);
                    tx.push(new.session.insert_op()?);
                    // Fails if another login completed this challenge first.
                    tx.push(challenges::finish_op(&challenge.c));
                    tx.push(limits::LOGIN.clear_op(&user.email));
                    Ok(())
                },
                |_| Some(refused()),
            )
            .await?;
        self.tokens(new, user, account)
    }
}
