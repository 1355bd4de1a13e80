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

/// How long an invite's link works at most, and at least (`--invite-ttl`).
pub const INVITE_TTL_RANGE_MS: std::ops::RangeInclusive<i64> = 1_000..=30 * 24 * 3600 * 1000;

/// A duration written as a number and a unit, `s`, `m`, `h` or `d` (`90s`,
/// `36h`, `7d`), in ms, within `range`.
pub fn parse_duration_ms(text: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, String> {
    let text = text.trim();
    let unit = text.chars().last().unwrap_or(' ');
    let ms = match unit {
        's' => 1_000,
        'm' => 60_000,
        'h' => 3_600_000,
        'd' => 86_400_000,
        _ => {
            return Err(format!(
                "{text:?}: write a number and a unit, s, m, h or d (e.g. 7d)"
            ))
        }
    };
    let number: i64 = text[..text.len() - 1]
        .parse()
        .map_err(|_| format!("{text:?}: write a number and a unit, s, m, h or d (e.g. 7d)"))?;
    number
        .checked_mul(ms)
        .filter(|total| range.contains(total))
        .ok_or_else(|| {
            format!(
                "{text:?} is out of range: {} s to {} days",
                range.start() / 1000,
                range.end() / 86_400_000
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_their_unit() {
        let r = INVITE_TTL_RANGE_MS;
        assert_eq!(parse_duration_ms("7d", r.clone()), Ok(7 * 86_400_000));
        assert_eq!(parse_duration_ms("36h", r.clone()), Ok(36 * 3_600_000));
        assert_eq!(parse_duration_ms("90m", r.clone()), Ok(90 * 60_000));
        assert_eq!(parse_duration_ms(" 1s ", r.clone()), Ok(1_000));
        for bad in [
            "",
            "7",
            "d",
            "7w",
            "-1d",
            "0s",
            "31d",
            "1.5h",
            "7 d",
            "99999999999999999d",
            "é",
        ] {
            assert!(parse_duration_ms(bad, r.clone()).is_err(), "{bad:?}");
        }
    }
}
