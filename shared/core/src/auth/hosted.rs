//! Id tokens from the Cognito hosted UI, verified against the pool's JWKS.
//!
//! This is the one place roster accepts a token it did not sign itself
//! (DESIGN §2): `user/login` with a hosted-UI id token links that identity to a
//! roster user, and roster's own session takes over from there.
//!
//! - Only RS256 id tokens (`token_use: "id"`): they carry the e-mail a new
//!   account or an invite is matched on; access tokens don't.
//! - `iss` must be the pool's issuer, `aud` the app client, `exp` in the future
//!   (60 s leeway for clock skew); `sub` and `email` must be present.
//! - The key set is fetched once and cached. A token naming a key the cache
//!   lacks triggers one refetch (the pool rotated its keys), but at most one
//!   per `min_refresh`, however many such tokens arrive: random `kid`s cannot
//!   turn roster into a JWKS-fetching amplifier. Concurrent misses share one fetch.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::ports::JwksSource;

/// Who the hosted UI says the caller is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostedIdentity {
    /// The pool's stable id of the user (`sub`): what roster links.
    pub subject: String,
    pub email: String,
    pub email_verified: bool,
}

pub struct HostedUi {
    issuer: String,
    client_id: String,
    source: Arc<dyn JwksSource>,
    min_refresh: Duration,
    keys: RwLock<HashMap<String, DecodingKey>>,
    /// When the key set was last fetched; held while fetching.
    fetched: tokio::sync::Mutex<Option<Instant>>,
}

#[derive(Deserialize)]
struct IdClaims {
    sub: String,
    token_use: String,
    email: Option<String>,
    /// Cognito sends a boolean; some identity providers map it as a string.
    #[serde(default)]
    email_verified: Option<serde_json::Value>,
}

const REFUSED: &str = "the identity token is invalid or expired";

impl HostedUi {
    /// Refetches for an unknown key at most once a minute.
    pub const MIN_REFRESH: Duration = Duration::from_secs(60);

    pub fn new(issuer: &str, client_id: &str, source: Arc<dyn JwksSource>) -> HostedUi {
        HostedUi {
            issuer: issuer.trim_end_matches('/').to_string(),
            client_id: client_id.to_string(),
            source,
            min_refresh: Self::MIN_REFRESH,
            keys: RwLock::new(HashMap::new()),
            fetched: tokio::sync::Mutex::new(None),
        }
    }

    /// The least time between two fetches of the key set.
    pub fn with_min_refresh(mut self, min_refresh: Duration) -> HostedUi {
        self.min_refresh = min_refresh;
        self
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Verifies an id token; `UNAUTHENTICATED` for anything wrong with it,
    /// `UNAVAILABLE` when the key set cannot be fetched.
    pub async fn verify(&self, token: &str) -> Result<HostedIdentity> {
        let refused = || Error::Unauthenticated(REFUSED);
        let header = jsonwebtoken::decode_header(token).map_err(|_| refused())?;
        if header.alg != Algorithm::RS256 {
            return Err(refused());
        }
        let kid = header.kid.ok_or_else(refused)?;
        let key = self.key(&kid).await?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.client_id]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<IdClaims>(token, &key, &validation)
            .map_err(|_| refused())?
            .claims;
        if claims.token_use != "id" || claims.sub.is_empty() {
            return Err(refused());
        }
        let email = claims.email.filter(|e| !e.is_empty()).ok_or_else(refused)?;
        let email_verified = matches!(claims.email_verified, Some(serde_json::Value::Bool(true)))
            || matches!(&claims.email_verified, Some(serde_json::Value::String(s)) if s == "true");
        Ok(HostedIdentity {
            subject: claims.sub,
            email,
            email_verified,
        })
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey> {
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let mut fetched = self.fetched.lock().await;
        // Another request may have refreshed while this one waited.
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        if fetched.is_some_and(|at| at.elapsed() < self.min_refresh) {
            return Err(Error::Unauthenticated(REFUSED));
        }
        let body = self.source.fetch().await.map_err(|e| {
            tracing::warn!(error = %e, "hosted UI key set not fetched");
            Error::Unavailable("the identity provider's keys could not be read; try again".into())
        })?;
        *fetched = Some(Instant::now());
        let set: JwkSet = serde_json::from_slice(&body)
            .map_err(|e| Error::internal("the identity provider's key set", e))?;
        let keys: HashMap<String, DecodingKey> = set
            .keys
            .iter()
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                DecodingKey::from_jwk(jwk).ok().map(|key| (kid, key))
            })
            .collect();
        let found = keys.get(kid).cloned();
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = keys;
        found.ok_or(Error::Unauthenticated(REFUSED))
    }

    fn cached(&self, kid: &str) -> Option<DecodingKey> {
        self.keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(kid)
            .cloned()
    }
}
