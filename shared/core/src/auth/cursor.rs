//! Paging cursors: the key of an item, sealed with ChaCha20-Poly1305 and bound
//! to the query it came from.
//!
//! The associated data names the operation, account, index, direction and
//! filters, so a cursor replayed against another query fails to open, and an
//! altered one fails authentication. Both answer `Invalid` on field `next`/`prev`.

use ring::aead::{Aad, Nonce, NONCE_LEN};
use serde::{Deserialize, Serialize};

use super::Keys;
use crate::clock::now_ms;
use crate::crypto::{b64, random_bytes, unb64};
use crate::error::{Error, Result};
use crate::ports::Item;

/// How long a cursor stays valid.
pub const CURSOR_TTL_MS: i64 = 24 * 3600 * 1000;

/// Which way a cursor pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Next,
    Prev,
}

impl Direction {
    pub fn field(self) -> &'static str {
        match self {
            Direction::Next => "next",
            Direction::Prev => "prev",
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    /// The table key to resume after.
    k: Item,
    /// Expiry, ms.
    e: i64,
}

impl Keys {
    /// Seals `key`; `scope` must describe the query completely.
    pub fn seal_cursor(&self, scope: &str, dir: Direction, key: Item) -> Result<String> {
        let body = serde_json::to_vec(&Sealed {
            k: key,
            e: now_ms() + CURSOR_TTL_MS,
        })
        .map_err(|e| Error::internal("encoding a cursor", e))?;
        let nonce_bytes = random_bytes::<NONCE_LEN>()?;
        let mut sealed = body;
        self.cursor
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce_bytes),
                Aad::from(aad(scope, dir)),
                &mut sealed,
            )
            .map_err(|_| Error::Internal("sealing a cursor".into()))?;
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&sealed);
        Ok(b64(&out))
    }

    pub fn open_cursor(&self, scope: &str, dir: Direction, cursor: &str) -> Result<Item> {
        let refused = || {
            Error::invalid(
                dir.field(),
                "the cursor is invalid, expired or belongs to another query",
            )
        };
        let raw = unb64(cursor).ok_or_else(refused)?;
        if raw.len() <= NONCE_LEN {
            return Err(refused());
        }
        let (nonce, rest) = raw.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| refused())?;
        let mut buf = rest.to_vec();
        let plain = self
            .cursor
            .open_in_place(nonce, Aad::from(aad(scope, dir)), &mut buf)
            .map_err(|_| refused())?;
        let sealed: Sealed = serde_json::from_slice(plain).map_err(|_| refused())?;
        if sealed.e < now_ms() {
            return Err(refused());
        }
        Ok(sealed.k)
    }
}

fn aad(scope: &str, dir: Direction) -> Vec<u8> {
    format!("{scope}\u{0}{}", dir.field()).into_bytes()
}
