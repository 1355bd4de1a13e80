//! Paging cursors: the key of an item, sealed with ChaCha20-Poly1305 and bound
//! to the query it came from.
//!
//! The associated data names the operation, account, index, direction and
//! filters, so a cursor replayed against another query fails to open, and an
//! altered one fails authentication. Both answer `Invalid` on field `next`/`prev`.

use serde::{Deserialize, Serialize};

use super::Keys;
use crate::clock::now_ms;
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
        self.cursor.seal(&aad(scope, dir), &body)
    }

    pub fn open_cursor(&self, scope: &str, dir: Direction, cursor: &str) -> Result<Item> {
        let refused = || {
            Error::invalid(
                dir.field(),
                "the cursor is invalid, expired or belongs to another query",
            )
        };
        let plain = self
            .cursor
            .open(&aad(scope, dir), cursor)
            .ok_or_else(refused)?;
        let sealed: Sealed = serde_json::from_slice(&plain).map_err(|_| refused())?;
        if sealed.e < now_ms() {
            return Err(refused());
        }
        Ok(sealed.k)
    }
}

fn aad(scope: &str, dir: Direction) -> Vec<u8> {
    format!("{scope}\u{0}{}", dir.field()).into_bytes()
}
