//! The session signing key and what is derived from it.
//!
//! One secret, an Ed25519 key in PKCS#8, drives everything: it signs access
//! tokens, and HKDFs of it seal cursors and roster's other sealed values. Embedded mode creates it once in the
//! data folder; AWS reads it from `ROSTER_SIGNING_KEY` (an SSM SecureString).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Validation};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};

use super::Sealer;
use crate::error::{Error, Result};

pub struct Keys {
    pub(crate) encoding: EncodingKey,
    pub(crate) decoding: DecodingKey,
    pub(crate) validation: Validation,
    pub(crate) cursor: Sealer,
    /// Seals what roster keeps for a while and only it may read: MFA
    /// challenge sessions, the identity provider's grant in a session.
    pub(crate) secrets: Sealer,
    pub(crate) verified: super::access::VerifiedTokens,
}

impl Keys {
    /// A new secret (an Ed25519 key as PKCS#8 v2 DER).
    pub fn generate_secret() -> Result<Vec<u8>> {
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map(|doc| doc.as_ref().to_vec())
            .map_err(|_| Error::Internal("could not generate a signing key".into()))
    }

    pub fn from_secret(pkcs8: &[u8]) -> Result<Keys> {
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8)
            .map_err(|e| Error::internal("the signing key is not an Ed25519 PKCS#8 key", e))?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.leeway = 5;
        validation.set_issuer(&["roster"]);
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);

        Ok(Keys {
            encoding: EncodingKey::from_ed_der(pkcs8),
            decoding: DecodingKey::from_ed_der(pair.public_key().as_ref()),
            validation,
            cursor: Sealer::derive(pkcs8, b"cursor")?,
            secrets: Sealer::derive(pkcs8, b"secrets")?,
            verified: Default::default(),
        })
    }
}

impl Keys {
    /// Seals a value roster keeps for a while (`purpose` binds it to its use).
    pub fn seal(&self, purpose: &str, plain: &[u8]) -> Result<String> {
        self.secrets.seal(purpose.as_bytes(), plain)
    }

    /// A value [`Keys::seal`] made for `purpose`; `None` if altered or foreign.
    pub fn open(&self, purpose: &str, sealed: &str) -> Option<Vec<u8>> {
        self.secrets.open(purpose.as_bytes(), sealed)
    }
}
