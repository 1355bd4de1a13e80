//! Embedded adapters: everything roster needs on a laptop, in one data folder.
//!
//! ```text
//! <data-dir>/roster.redb    the table (redb), durable on every write
//! <data-dir>/signing.key    the session signing key (Ed25519, PKCS#8), made once
//! <data-dir>/outbox/*.eml   every e-mail sent
//! ```

mod identity;
mod mailer;
mod table;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use identity::LocalIdentity;
pub use mailer::Outbox;
pub use table::RedbTable;

use roster_core::auth::{Keys, Sealer};
use roster_core::clock::{Clock, SystemClock};
use roster_core::{Roster, Settings};

/// Opens (or creates) a data folder and builds a `Roster` on it.
pub fn open(data_dir: &Path, settings: Settings, mail_from: &str) -> Result<Roster, String> {
    open_with_clock(data_dir, settings, mail_from, Arc::new(SystemClock))
}

/// [`open`], with TOTP codes checked at `clock`'s time (tests move it).
pub fn open_with_clock(
    data_dir: &Path,
    settings: Settings,
    mail_from: &str,
    clock: Arc<dyn Clock>,
) -> Result<Roster, String> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create data folder {}: {e}", data_dir.display()))?;
    let table = Arc::new(RedbTable::open(&data_dir.join("roster.redb"))?);
    let mailer = Arc::new(Outbox::new(data_dir.join("outbox"), mail_from)?);
    let secret = load_or_create_secret(&data_dir.join("signing.key"))?;
    let sealer = Sealer::derive(&secret, b"totp secrets").map_err(|e| e.to_string())?;
    let identity = Arc::new(LocalIdentity::new(table.clone(), sealer, clock));
    let keys = Arc::new(Keys::from_secret(&secret).map_err(|e| format!("signing.key: {e}"))?);
    Ok(Roster {
        table,
        mailer,
        identity,
        keys,
        settings: Arc::new(settings),
        hosted_ui: None,
    })
}

/// The data folder's signing key (made once), base64url: what
/// `ROSTER_SIGNING_KEY` would hold. Lets a local server on AWS backends keep
/// its sessions across restarts without a key in its flags.
pub fn signing_key_base64(data_dir: &Path) -> Result<String, String> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create data folder {}: {e}", data_dir.display()))?;
    let secret = load_or_create_secret(&data_dir.join("signing.key"))?;
    Ok(roster_core::crypto::b64(&secret))
}

/// The signing key is made once and kept: tokens, cursors and sealed
/// secrets survive restarts.
fn load_or_create_secret(path: &PathBuf) -> Result<Vec<u8>, String> {
    let secret = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let secret = Keys::generate_secret().map_err(|e| e.to_string())?;
            write_private(path, &secret)?;
            secret
        }
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    // Refuse a broken key file here, not at the first request.
    Keys::from_secret(&secret).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(secret)
}

/// Writes a file readable by its owner only, atomically.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let result = options
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    result.map_err(|e| format!("cannot write {}: {e}", path.display()))
}
