//! TOTP codes computed from the secret roster returned, as an authenticator
//! app would: 6 digits, 30 s, SHA-1. The emulator's secret is 7 bytes, which
//! totp-rs's checked constructor refuses; the unchecked one is fine here.

use std::time::{SystemTime, UNIX_EPOCH};

use totp_rs::{Algorithm, Builder, Secret};

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The code for `secret` (base32, any case) at `unix` seconds.
pub fn code_at(secret: &str, unix: u64) -> String {
    let bytes = Secret::try_from_base32(secret.to_ascii_uppercase().trim_end_matches('='))
        .expect("a base32 secret")
        .as_bytes()
        .to_vec();
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(Secret::from(bytes))
        .build_noncompliant()
        .generate(unix)
        .to_string()
}

/// The code for `secret` now, not within 2 s of a step's end (the emulator
/// takes only the current step's code, so one computed at the very end of
/// a step could reach it in the next).
pub fn code(secret: &str) -> String {
    if secs_left_in_step() <= 2 {
        std::thread::sleep(std::time::Duration::from_millis(2_500));
    }
    code_at(secret, now_secs())
}

/// A code for `secret` that is wrong now (and in the steps either side).
pub fn wrong_code(secret: &str) -> String {
    let now = now_secs();
    let near: Vec<String> = [now - 30, now, now + 30]
        .iter()
        .map(|t| code_at(secret, *t))
        .collect();
    (0..1000)
        .map(|i| format!("{:06}", (i * 7919 + 123_457) % 1_000_000))
        .find(|c| !near.contains(c))
        .unwrap()
}

/// Sleeps until a new 30 s step has begun (with a margin), so the next code
/// differs from the last one: a code completes one login only.
pub fn wait_for_next_step() {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let into = now.as_millis() % 30_000;
    std::thread::sleep(std::time::Duration::from_millis(
        (30_000 - into + 200) as u64,
    ));
}

/// Seconds until the current step ends.
pub fn secs_left_in_step() -> u64 {
    30 - now_secs() % 30
}
