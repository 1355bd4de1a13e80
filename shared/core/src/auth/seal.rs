//! Sealed values: ChaCha20-Poly1305 with a random nonce, base64url, bound to
//! a purpose by the associated data. Cursors, MFA challenge sessions, the
//! identity provider's grant kept in a session, and (embedded) TOTP secrets
//! are sealed, each with its own key derived from the signing key.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};

use crate::crypto::{b64, random_bytes, unb64};
use crate::error::{Error, Result};

pub struct Sealer {
    key: LessSafeKey,
}

impl Sealer {
    /// The key for `label`, derived from `secret` with HKDF-SHA256.
    pub fn derive(secret: &[u8], label: &[u8]) -> Result<Sealer> {
        let salt = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, b"roster sealing key");
        let mut key = [0u8; 32];
        salt.extract(secret)
            .expand(&[label], &CHACHA20_POLY1305)
            .and_then(|okm| okm.fill(&mut key))
            .map_err(|_| Error::Internal("could not derive a sealing key".into()))?;
        let key = UnboundKey::new(&CHACHA20_POLY1305, &key)
            .map_err(|_| Error::Internal("could not build a sealing key".into()))?;
        Ok(Sealer {
            key: LessSafeKey::new(key),
        })
    }

    /// Seals `plain`; only [`Sealer::open`] with the same `aad` opens it.
    pub fn seal(&self, aad: &[u8], plain: &[u8]) -> Result<String> {
        let nonce = random_bytes::<NONCE_LEN>()?;
        let mut sealed = plain.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut sealed,
            )
            .map_err(|_| Error::Internal("sealing a value".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(b64(&out))
    }

    /// The plain bytes, or `None` for anything altered, foreign or malformed.
    pub fn open(&self, aad: &[u8], sealed: &str) -> Option<Vec<u8>> {
        let raw = unb64(sealed)?;
        if raw.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, rest) = raw.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut buf = rest.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(aad), &mut buf)
            .ok()?;
        Some(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_purpose() {
        let a = Sealer::derive(b"secret", b"one").unwrap();
        let b = Sealer::derive(b"secret", b"two").unwrap();
        let s = a.seal(b"purpose", b"hello").unwrap();
        assert_eq!(a.open(b"purpose", &s).unwrap(), b"hello");
        assert!(a.open(b"other", &s).is_none());
        assert!(b.open(b"purpose", &s).is_none());
        let mut altered = s.into_bytes();
        let last = altered.len() - 3;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert!(a
            .open(b"purpose", &String::from_utf8(altered).unwrap())
            .is_none());
    }
}
