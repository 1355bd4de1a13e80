//! The session signing key and what is derived from it.
//!
//! One secret, an Ed25519 key in PKCS#8, drives everything: it signs access
//! tokens, and an HKDF of it seals cursors. Embedded mode creates it once in the
//! data folder; AWS reads it from `ROSTER_SIGNING_KEY` (an SSM SecureString).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Validation};
use ring::aead::{LessSafeKey, UnboundKey, CHACHA20_POLY1305};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};

use crate::error::{Error, Result};

pub struct Keys {
    pub(crate) encoding: EncodingKey,
    pub(crate) decoding: DecodingKey,
    pub(crate) validation: Validation,
    pub(crate) cursor: LessSafeKey,
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

        let salt = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, b"roster cursor key");
        let mut cursor_key = [0u8; 32];
        salt.extract(pkcs8)
            .expand(&[b"cursor"], &CHACHA20_POLY1305)
            .and_then(|okm| okm.fill(&mut cursor_key))
            .map_err(|_| Error::Internal("could not derive the cursor key".into()))?;
        let cursor = UnboundKey::new(&CHACHA20_POLY1305, &cursor_key)
            .map_err(|_| Error::Internal("could not build the cursor key".into()))?;

        Ok(Keys {
            encoding: EncodingKey::from_ed_der(pkcs8),
            decoding: DecodingKey::from_ed_der(pair.public_key().as_ref()),
            validation,
            cursor: LessSafeKey::new(cursor),
            verified: Default::default(),
        })
    }
}
