//! `Identity` with argon2id hashes kept in the table as `LOGIN#<uid>` items.

use std::sync::{Arc, LazyLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use async_trait::async_trait;
use roster_core::ports::{Cond, Identity, Op, PasswordCheck, PortError, Table, TableError};
use roster_core::repo::keys;
use serde_json::Value;

pub struct LocalIdentity {
    table: Arc<dyn Table>,
}

/// What an unknown login is checked against, so it costs a real check.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| hash("not a real password").ok());

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

impl LocalIdentity {
    pub fn new(table: Arc<dyn Table>) -> LocalIdentity {
        LocalIdentity { table }
    }

    async fn write(&self, op: Op) -> Result<(), PortError> {
        let token = roster_core::clock::next_ulid().to_string();
        match self.table.transact(vec![op], &token).await {
            // A missing login (a pending user) has nothing to switch.
            Err(TableError::Condition { .. }) => Ok(()),
            other => other.map_err(table_err),
        }
    }

    async fn stored_hash(&self, login: &str) -> Result<Option<String>, PortError> {
        let item = self
            .table
            .get(&keys::login(login), true)
            .await
            .map_err(table_err)?;
        Ok(item.and_then(|i| {
            let disabled = i.get("disabled").and_then(Value::as_bool).unwrap_or(false);
            let hash = i.get("hash").and_then(Value::as_str).map(str::to_string);
            hash.filter(|_| !disabled)
        }))
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
        let mut item = roster_core::ports::Item::new();
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
        let stored = match login {
            Some(login) => self.stored_hash(login).await?,
            None => None,
        };
        let known = stored.is_some();
        // Unknown and disabled logins are checked against a dummy hash: the
        // same work, the same answer.
        let Some(against) = stored.or_else(|| DUMMY_HASH.clone()) else {
            return Err(PortError::Internal("no dummy hash".into()));
        };
        let password = password.to_string();
        let ok = blocking(move || verify(&password, &against)).await?;
        Ok(if ok && known {
            PasswordCheck::Ok
        } else {
            PasswordCheck::Refused
        })
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
