//! Logging in with a password, and answering the MFA challenge that follows
//! when the user has turned MFA on.

use serde::{Deserialize, Serialize};

use crate::clock::{next_ulid, now_ms};
use crate::domain::{AccountId, Email, UserId, UserState};
use crate::error::{Error, Result};
use crate::ports::{CodeCheck, Item, PasswordCheck};
use crate::repo::claims::EmailClaim;
use crate::repo::codec::from_item;
use crate::repo::{accounts, challenges, get_many, keys, limits, users, User};
use crate::roster::Tx;
use crate::Roster;

use super::codes::{self, Code};
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
    /// The e-mail it was opened for (its code attempts are counted by it).
    m: String,
    /// When it was opened, ms: a password set, or sessions ended, after
    /// that void it.
    o: i64,
    /// Expiry, ms.
    e: i64,
    /// The identity provider's own challenge session; empty when roster
    /// opened the challenge itself (the provider answered without one).
    p: String,
    /// The provider's grant from the password check, for checking a code
    /// when the provider opened no challenge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    g: Option<String>,
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
            PasswordCheck::MfaRequired { session } => {
                self.open_challenge(&email, &claim, session, None).await
            }
            PasswordCheck::Ok { grant } => {
                let (user, account) =
                    users::get_with_account(table, claim.account_id, claim.user_id)
                        .await?
                        .ok_or(Error::Unauthenticated(WRONG_CREDENTIALS))?;
                if user.state == UserState::Disabled {
                    return Err(Error::Forbidden("this user is disabled"));
                }
                // MFA holds when either side says it is on: a provider that
                // lost it (a write that failed halfway) doesn't open the door.
                if user.mfa {
                    return self
                        .open_challenge(&email, &claim, String::new(), grant)
                        .await;
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
    async fn open_challenge(
        &self,
        email: &Email,
        claim: &EmailClaim,
        provider: String,
        grant: Option<String>,
    ) -> Result<LoginOutcome> {
        let now = now_ms();
        let id = next_ulid().to_string();
        let mut tx = Tx::new();
        tx.push(challenges::insert_op(&id, claim.user_id, now)?);
        self.write(tx, |_| None).await?;
        let sealed = serde_json::to_vec(&ChallengeSession {
            c: id,
            u: claim.user_id,
            a: claim.account_id,
            m: email.to_string(),
            o: now,
            e: now + challenges::TTL_MS,
            p: provider,
            g: grant,
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
        let code = codes::parse_code(code).ok_or_else(refused)?;
        let table = self.table.as_ref();
        self.take_code_attempt(&challenge).await?;
        let [user, account] = get_many(
            table,
            [
                keys::user(challenge.a, challenge.u),
                keys::account(challenge.a),
            ],
        )
        .await?;
        let user = user.map(User::from_item).transpose()?.ok_or_else(refused)?;
        let account = accounts::required(table, challenge.a, account).await?;
        if !challenge_holds(&challenge, &user) {
            return Err(refused());
        }
        let login = user.id.to_string();
        let grant = match &code {
            Code::Totp(totp) => {
                // A code that completed a login doesn't complete another.
                if codes::code_used(&user, totp, now_ms()) {
                    return Err(refused());
                }
                if challenge.p.is_empty() {
                    // roster's own challenge: the provider checks the code
                    // outside a login.
                    let grant = challenge.g.clone();
                    if !self
                        .identity
                        .check_totp(&login, grant.as_deref(), totp)
                        .await?
                    {
                        return Err(refused());
                    }
                    grant
                } else {
                    match self
                        .identity
                        .answer_challenge(&login, &challenge.p, totp)
                        .await?
                    {
                        CodeCheck::Ok { grant } => grant,
                        CodeCheck::Refused => return Err(refused()),
                    }
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
                    // login may have spent this code, a reset voided it all.
                    if !challenge_holds(&challenge, user) {
                        return Err(refused());
                    }
                    let spent = match &code {
                        Code::Totp(totp) => codes::spend_totp(user, totp, now),
                        Code::Recovery(recovery) => codes::spend_recovery(user, recovery),
                    };
                    if !spent {
                        return Err(refused());
                    }
                    user.activity = Some(now);
                    tx.push(new.session.insert_op()?);
                    // Fails if another login completed this challenge first.
                    tx.push(challenges::finish_op(&challenge.c));
                    tx.push(limits::LOGIN.clear_op(&user.email));
                    tx.push(limits::MFA_CODES.clear_op(&user.email));
                    Ok(())
                },
                |_| Some(refused()),
            )
            .await?;
        self.tokens(new, user, account)
    }
}

impl Roster {
    /// Takes one attempt of the challenge and one of its e-mail's codes, in
    /// one write, before the code is checked: parallel guesses can't get past
    /// either limit, and more challenges buy no more guesses.
    async fn take_code_attempt(&self, challenge: &ChallengeSession) -> Result<()> {
        let refused = || Error::Unauthenticated(CHALLENGE_REFUSED);
        let email = Email::from_stored(challenge.m.clone());
        let mut known: Option<Option<Item>> = None;
        for _ in 0..limits::ROUNDS {
            let seen = known.as_ref().map(Option::as_ref);
            let Some(codes) = limits::MFA_CODES.attempt_op(&email, seen, now_ms())? else {
                return Err(refused());
            };
            let mut tx = Tx::new();
            tx.push(challenges::attempt_op(&challenge.c));
            let counted = tx.push(codes);
            match self.transact(tx).await? {
                Ok(()) => return Ok(()),
                // The e-mail's window changed: decide again from it.
                Err(rejected) if rejected.op == counted => known = Some(rejected.current),
                // The challenge is used up, answered or gone.
                Err(_) => return Err(refused()),
            }
        }
        Err(refused())
    }
}

/// Whether a challenge still stands for its user: active, and no password
/// set or sessions ended since it was opened (a reset, "log out everywhere",
/// an admin's MFA reset).
fn challenge_holds(challenge: &ChallengeSession, user: &User) -> bool {
    user.state == UserState::Active
        && user.password_changed <= challenge.o
        && user.sessions_valid_after <= challenge.o
}
