//! Time and ids. Times are Unix milliseconds inside roster, RFC 3339 at the edge.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// What time it is. Injected where a test must move the clock (the embedded
/// TOTP check); everything else reads [`now_ms`].
pub trait Clock: Send + Sync {
    fn now_ms(&self) -> i64;
}

/// The system's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        now_ms()
    }
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// RFC 3339 with milliseconds, in UTC.
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

static ULIDS: Mutex<Option<ulid::Generator>> = Mutex::new(None);

/// A ULID strictly greater than every earlier one of this process, so primary
/// order is creation order even within one millisecond.
pub fn next_ulid() -> ulid::Ulid {
    let mut guard = match ULIDS.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    let generator = guard.get_or_insert_with(ulid::Generator::new);
    // Overflow needs 2^80 ids in one millisecond; fall back to a fresh id.
    generator.generate().unwrap_or_else(|_| ulid::Ulid::new())
}
