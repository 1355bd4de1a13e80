//! Access tokens: EdDSA JWTs that live 15 minutes.
//!
//! A token only names the caller; what the caller may do is read from its user
//! item on every request, so a role change or removal acts at once.

use std::collections::HashMap;
use std::sync::RwLock;

use jsonwebtoken::{Algorithm, Header};
use serde::{Deserialize, Serialize};

use super::Keys;
use crate::clock::now_ms;
use crate::domain::{AccountId, SessionId, UserId};
use crate::error::{Error, Result};

pub const ACCESS_TTL_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    /// User id.
    pub sub: String,
    /// Account id.
    pub aid: String,
    /// Session id.
    pub sid: String,
    /// When the session started (ms): compared with the user's `sessionsValidAfter`.
    pub sat: i64,
    pub iat: i64,
    pub exp: i64,
}

/// Who a valid access token names.
#[derive(Debug, Clone)]
pub struct TokenSubject {
    pub user: UserId,
    pub account: AccountId,
    pub session: SessionId,
    pub session_started: i64,
    /// Expiry, Unix seconds.
    pub expires: i64,
}

/// Tokens whose signature was already checked, by their exact text.
///
/// An Ed25519 check costs ~40 µs, most of an authenticated read; a client
/// sends the same token for up to 15 minutes. Only a byte-identical token
/// hits, and its expiry is checked again on every hit; revocation is not
/// affected, since the caller's user item is read on every request anyway.
#[derive(Default)]
pub(crate) struct VerifiedTokens {
    map: RwLock<HashMap<String, TokenSubject>>,
}

/// Entries kept at most (≈ 4 MB); past it, expired ones go, then all.
const VERIFIED_MAX: usize = 10_000;

impl VerifiedTokens {
    fn get(&self, token: &str, now: i64) -> Option<TokenSubject> {
        let map = self.map.read().ok()?;
        map.get(token).filter(|s| s.expires > now).cloned()
    }

    fn put(&self, token: &str, subject: &TokenSubject, now: i64) {
        let Ok(mut map) = self.map.write() else {
            return;
        };
        if map.len() >= VERIFIED_MAX {
            map.retain(|_, s| s.expires > now);
            if map.len() >= VERIFIED_MAX {
                map.clear();
            }
        }
        map.insert(token.to_string(), subject.clone());
    }
}

impl Keys {
    pub fn sign_access(
        &self,
        user: UserId,
        account: AccountId,
        session: SessionId,
        session_started: i64,
    ) -> Result<String> {
        let now = now_ms() / 1000;
        let claims = AccessClaims {
            iss: "roster".into(),
            sub: user.to_string(),
            aid: account.to_string(),
            sid: session.to_string(),
            sat: session_started,
            iat: now,
            exp: now + ACCESS_TTL_SECS,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &claims, &self.encoding)
            .map_err(|e| Error::internal("signing an access token", e))
    }

    /// Checks signature, issuer and expiry. Any fault is `Unauthenticated`.
    pub fn verify_access(&self, token: &str) -> Result<TokenSubject> {
        let now = now_ms() / 1000;
        if let Some(subject) = self.verified.get(token, now) {
            return Ok(subject);
        }
        let subject = self.verify_signature(token)?;
        self.verified.put(token, &subject, now);
        Ok(subject)
    }

    fn verify_signature(&self, token: &str) -> Result<TokenSubject> {
        let refused = || Error::Unauthenticated("the access token is invalid or expired");
        let data = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map_err(|_| refused())?;
        let c = data.claims;
        Ok(TokenSubject {
            user: UserId::parse(&c.sub).map_err(|_| refused())?,
            account: AccountId::parse(&c.aid).map_err(|_| refused())?,
            session: SessionId::parse(&c.sid).map_err(|_| refused())?,
            session_started: c.sat,
            expires: c.exp,
        })
    }
}
