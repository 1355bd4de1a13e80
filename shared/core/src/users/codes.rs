//! Second-factor codes as roster keeps them, the same on both backends:
//! telling a TOTP code from a recovery code, making recovery codes (80 random
//! bits each, so a stored SHA-256 hash can't be searched back to its code),
//! and spending either once.

use crate::crypto::{random_bytes, sha256_hex};
use crate::error::Result;
use crate::repo::{UsedCode, User};

/// Recovery codes handed out at a time.
pub const RECOVERY_CODES: usize = 10;
/// How long a code that completed a login is remembered: longer than any code
/// stays valid (its own step and one either side).
const USED_CODE_KEPT_MS: i64 = 3 * 60 * 1000;
/// At most this many are kept (the newest): only three codes are valid at any
/// time, each for one login, so real use never comes near it; it keeps the
/// user item small whatever happens.
const USED_CODES_KEPT: usize = 20;

/// A code as typed: a 6-digit TOTP code or a recovery code.
#[derive(Clone)]
pub(crate) enum Code {
    Totp(String),
    /// Lower-case, without separators.
    Recovery(String),
}

/// The code's shape, or `None` for something that is neither.
pub(crate) fn parse_code(raw: &str) -> Option<Code> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if compact.len() == 6 && compact.chars().all(|c| c.is_ascii_digit()) {
        return Some(Code::Totp(compact));
    }
    let lower = compact.to_ascii_lowercase();
    let recovery = lower.len() == 16 && lower.chars().all(|c| BASE32.contains(&(c as u8)));
    recovery.then_some(Code::Recovery(lower))
}

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// `RECOVERY_CODES` new codes (`xxxx-xxxx-xxxx-xxxx`) and their hashes.
pub(crate) fn new_recovery_codes(user: &User) -> Result<(Vec<String>, Vec<String>)> {
    let mut shown = Vec::with_capacity(RECOVERY_CODES);
    let mut hashes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let bytes = random_bytes::<10>()?;
        // 80 bits, 5 at a time.
        let mut acc: u128 = 0;
        for b in bytes {
            acc = (acc << 8) | u128::from(b);
        }
        let compact: String = (0..16)
            .rev()
            .map(|i| BASE32[((acc >> (i * 5)) & 31) as usize] as char)
            .collect();
        hashes.push(recovery_hash(user, &compact));
        let groups: Vec<&str> = (0..4).map(|i| &compact[i * 4..i * 4 + 4]).collect();
        shown.push(groups.join("-"));
    }
    Ok((shown, hashes))
}

pub(crate) fn recovery_hash(user: &User, compact: &str) -> String {
    sha256_hex(format!("recovery:{}:{compact}", user.id).as_bytes())
}

fn code_hash(user: &User, code: &str) -> String {
    sha256_hex(format!("totp:{}:{code}", user.id).as_bytes())
}

/// Whether this TOTP code already completed a login.
pub(crate) fn code_used(user: &User, code: &str, now: i64) -> bool {
    let h = code_hash(user, code);
    user.used_codes
        .iter()
        .any(|u| u.h == h && u.at + USED_CODE_KEPT_MS > now)
}

/// Marks a TOTP code used; `false` if it already was.
pub(crate) fn spend_totp(user: &mut User, code: &str, now: i64) -> bool {
    if code_used(user, code, now) {
        return false;
    }
    let h = code_hash(user, code);
    user.used_codes.retain(|u| u.at + USED_CODE_KEPT_MS > now);
    let excess = (user.used_codes.len() + 1).saturating_sub(USED_CODES_KEPT);
    user.used_codes.drain(..excess);
    user.used_codes.push(UsedCode { h, at: now });
    true
}

/// Spends a recovery code; `false` if the user has no such code (left).
pub(crate) fn spend_recovery(user: &mut User, compact: &str) -> bool {
    let h = recovery_hash(user, compact);
    match user.recovery.iter().position(|r| *r == h) {
        Some(at) => {
            user.recovery.remove(at);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_told_apart_by_shape() {
        assert!(matches!(parse_code(" 123 456 "), Some(Code::Totp(c)) if c == "123456"));
        assert!(
            matches!(parse_code("ABCD-efgh-2345-67ab"), Some(Code::Recovery(c)) if c == "abcdefgh234567ab")
        );
        assert!(parse_code("12345").is_none());
        assert!(parse_code("abcd-efgh-2345-67a1").is_none());
    }
}
