//! Log capture in tests: a test reads what the log would print through a
//! scoped subscriber (`tracing::subscriber::set_default`).
//!
//! tracing caches each callsite's interest process-wide, decided by the
//! first thread to reach it: a test thread with no subscriber decides
//! "never", and the capturing test then sees nothing from that line. A
//! global no-op registry, installed before any test runs a request, makes
//! every callsite "always" interesting; each event still reaches only its
//! thread's scoped subscriber (and none elsewhere).

use std::sync::Once;

static KEEP: Once = Once::new();

/// Installs the global no-op registry, once per test binary.
pub fn keep_every_callsite() {
    KEEP.call_once(|| {
        // Fails only when a global subscriber is already set, which then
        // answers for every callsite itself.
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    });
}
