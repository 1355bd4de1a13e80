//! `Identity` with argon2id hashes and RFC 6238 TOTP, kept in the table as
//! `LOGIN#<uid>` items: `hash`, `disabled`, and the TOTP secret (`totp` once
//! confirmed, `totpPending` before), sealed with a key derived from the data
//! folder's signing key, so a copy of the store alone doesn't give them away.

use std::sync::{Arc, LazyLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use async_trait::async_trait;
use roster_core::auth::Sealer;
use roster_core::clock::Clock;
use roster_core::ports::{
    CodeCheck, Cond, Identity, Item, Op, PasswordCheck, PortError, Table, TableError,
};
use roster_core::repo::keys;
use serde_json::Value;
use totp_rs::{Algorithm, Builder, Secret};

pub struct LocalIdentity {
    table: Arc<dyn Table>,
    /// Seals TOTP secrets at rest.
    sealer: Sealer,
    /// What time TOTP codes are checked at (a test moves it).
    clock: Arc<dyn Clock>,
}

/// What an unknown login is checked against, so it costs a real check.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| hash("not a real password").ok());

/// The associated data TOTP secrets are sealed with, per login.
fn secret_aad(login: &str) -> Vec<u8> {
    format!("totp secret\0{login}").into_bytes()
}

fn hash(password: &str) -> Result<String, PortError> {
    let bytes = roster_core::crypto::random_bytes::<16>()
        .map_err(|e| PortError::Internal(e.to_string()))?;
    let salt =
        SaltString::encode_b64(&bytes).map_err(|e| PortError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PortError::Internal(format!("hashing a password: {e}")))
}

fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, PortError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PortError::Internal(format!("hash task failed: {e}")))
}

fn table_err(e: TableError) -> PortError {
    match e {
        TableError::Unavailable(m) => PortError::Unavailable(m),
        TableError::Conflict => PortError::Unavailable("concurrent change".into()),
        other => PortError::Internal(other.to_string()),
    }
}

/// A 6-digit, 30-second, SHA-1 TOTP (what authenticator apps use), taking
/// codes from one step either side of now (RFC 6238 §5.2).
fn totp(secret: &[u8]) -> totp_rs::Totp {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(Secret::from(secret.to_vec()))
        .build_noncompliant()
}

impl LocalIdentity {
    /// `sealer` seals TOTP secrets; `clock` is what codes are checked at.
    pub fn new(table: Arc<dyn Table>, sealer: Sealer, clock: Arc<dyn Clock>) -> LocalIdentity {
        LocalIdentity {
            table,
            sealer,
            clock,
        }
    }

    /// Writes one op; `false` when its condition failed (nothing written).
    async fn try_write(&self, op: Op) -> Result<bool, PortError> {
        let token = roster_core::clock::next_ulid().to_string();
        match self.table.transact(vec![op], &token).await {
            Ok(()) => Ok(true),
            Err(TableError::Condition { .. }) => Ok(false),
            Err(e) => Err(table_err(e)),
        }
    }

    /// Writes one op on a login that may be missing: a pending user has
    /// nothing to switch.
    async fn write(&self, op: Op) -> Result<(), PortError> {
        self.try_write(op).await.map(|_| ())
    }

    async fn login_item(&self, login: &str) -> Result<Option<Item>, PortError> {
        self.table
            .get(&keys::login(login), true)
            .await
            .map_err(table_err)
    }

    /// The secret stored in `attr` of the login's item: as stored (sealed),
    /// and opened.
    fn secret_in(&self, item: Option<&Item>, login: &str, attr: &str) -> Option<(String, Vec<u8>)> {
        let sealed = item?.get(attr)?.as_str()?;
        let secret = self.sealer.open(&secret_aad(login), sealed)?;
        Some((sealed.to_string(), secret))
    }

    /// Whether `code` is valid for `secret` now (one step either side).
    fn code_valid(&self, secret: &[u8], code: &str) -> bool {
        let now = u64::try_from(self.clock.now_ms() / 1000).unwrap_or(0);
        totp(secret).check(code, now).is_some()
    }
}

#[async_trait]
impl Identity for LocalIdentity {
    async fn create_login(
        &self,
        login: &str,
        _email: &str,
        password: &str,
    ) -> Result<(), PortError> {
        let password = password.to_string();
        let hashed = blocking(move || hash(&password)).await??;
        let key = keys::login(login);
        let mut item = Item::new();
        item.insert("pk".into(), key.pk.into());
        item.insert("sk".into(), key.sk.into());
        item.insert("hash".into(), hashed.into());
        item.insert("disabled".into(), false.into());
        self.write(Op::put(item)).await
    }

    async fn set_password(&self, login: &str, password: &str) -> Result<(), PortError> {
        let password = password.to_string();
        let hashed = blocking(move || hash(&password)).await??;
        let op = Op::update(keys::login(login))
            .set("hash", hashed)
            .when(Cond::Exists);
        self.write(op).await
    }

    async fn check_password(
        &self,
        login: Option<&str>,
        password: &str,
    ) -> Result<PasswordCheck, PortError> {
        let item = match login {
            Some(login) => self.login_item(login).await?,
            None => None,
        };
        let enabled = item
            .as_ref()
            .filter(|i| !i.get("disabled").and_then(Value::as_bool).unwrap_or(false));
        let stored = enabled
            .and_then(|i| i.get("hash"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let known = stored.is_some();
        // Unknown and disabled logins are checked against a dummy hash: the
        // same work, the same answer.
        let Some(against) = stored.or_else(|| DUMMY_HASH.clone()) else {
            return Err(PortError::Internal("no dummy hash".into()));
        };
        let password = password.to_string();
        let ok = blocking(move || verify(&password, &against)).await?;
        if !(ok && known) {
            return Ok(PasswordCheck::Refused);
        }
        let mfa = enabled.is_some_and(|i| i.contains_key("totp"));
        Ok(if mfa {
            PasswordCheck::MfaRequired {
                session: String::new(),
            }
        } else {
            PasswordCheck::Ok { grant: None }
        })
    }

    async fn answer_challenge(
        &self,
        login: &str,
        _session: &str,
        code: &str,
    ) -> Result<CodeCheck, PortError> {
        Ok(if self.check_totp(login, None, code).await? {
            CodeCheck::Ok { grant: None }
        } else {
            CodeCheck::Refused
        })
    }

    fn needs_grant(&self) -> bool {
        false
    }

    async fn start_totp(&self, login: &str, _grant: Option<&str>) -> Result<String, PortError> {
        let bytes = roster_core::crypto::random_bytes::<20>()
            .map_err(|e| PortError::Internal(e.to_string()))?;
        let sealed = self
            .sealer
            .seal(&secret_aad(login), &bytes)
            .map_err(|e| PortError::Internal(e.to_string()))?;
        let op = Op::update(keys::login(login))
            .set("totpPending", sealed)
            .when(Cond::Exists);
        if !self.try_write(op).await? {
            return Err(PortError::Internal(format!("login {login} does not exist")));
        }
        Ok(Secret::from(bytes.to_vec()).to_base32())
    }

    async fn confirm_totp(
        &self,
        login: &str,
        _grant: Option<&str>,
        code: &str,
    ) -> Result<bool, PortError> {
        let item = self.login_item(login).await?;
        let Some((sealed, secret)) = self.secret_in(item.as_ref(), login, "totpPending") else {
            return Ok(false);
        };
        if !self.code_valid(&secret, code) {
            return Ok(false);
        }
        // Confirms the secret that was checked, not one a parallel
        // `start_totp` put in its place meanwhile.
        let op = Op::update(keys::login(login))
            .set("totp", sealed.clone())
            .remove("totpPending")
            .when(Cond::Eq("totpPending".into(), sealed.into()));
        self.try_write(op).await
    }

    async fn check_totp(
        &self,
        login: &str,
        _grant: Option<&str>,
        code: &str,
    ) -> Result<bool, PortError> {
        let item = self.login_item(login).await?;
        Ok(self
            .secret_in(item.as_ref(), login, "totp")
            .is_some_and(|(_, secret)| self.code_valid(&secret, code)))
    }

    async fn disable_totp(&self, login: &str) -> Result<(), PortError> {
        let op = Op::update(keys::login(login))
            .remove("totp")
            .remove("totpPending")
            .when(Cond::Exists);
        self.write(op).await
    }

    async fn disable_login(&self, login: &str) -> Result<(), PortError> {
        let op = Op::update(keys::login(login))
            .set("disabled", true)
            .when(Cond::Exists);
        self.write(op).await
    }

    async fn enable_login(&self, login: &str) -> Result<(), PortError> {
        let op = Op::update(keys::login(login))
            .set("disabled", false)
            .when(Cond::Exists);
        self.write(op).await
    }

    async fn delete_login(&self, login: &str) -> Result<(), PortError> {
        self.write(Op::delete(keys::login(login))).await
    }
}
