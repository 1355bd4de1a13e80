//! An `Identity` that counts what it is asked, around a real one: to show an
//! unknown e-mail costs a password check, and how many password checks a
//! burst of parallel logins got.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use roster_core::ports::{CodeCheck, Identity, PasswordCheck, PortError};

pub struct Counting {
    inner: Arc<dyn Identity>,
    /// Password checks of known logins.
    pub known: AtomicUsize,
    /// Password checks of unknown e-mails.
    pub unknown: AtomicUsize,
    /// Passwords set (created logins included).
    pub set: AtomicUsize,
}

impl Counting {
    pub fn new(inner: Arc<dyn Identity>) -> Arc<Counting> {
        Arc::new(Counting {
            inner,
            known: AtomicUsize::new(0),
            unknown: AtomicUsize::new(0),
            set: AtomicUsize::new(0),
        })
    }

    /// Every password check so far.
    pub fn checks(&self) -> usize {
        self.known.load(Ordering::SeqCst) + self.unknown.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Identity for Counting {
    async fn create_login(&self, l: &str, e: &str, p: &str) -> Result<(), PortError> {
        self.set.fetch_add(1, Ordering::SeqCst);
        self.inner.create_login(l, e, p).await
    }
    async fn set_password(&self, l: &str, p: &str) -> Result<(), PortError> {
        self.set.fetch_add(1, Ordering::SeqCst);
        self.inner.set_password(l, p).await
    }
    async fn check_password(&self, l: Option<&str>, p: &str) -> Result<PasswordCheck, PortError> {
        match l {
            Some(_) => self.known.fetch_add(1, Ordering::SeqCst),
            None => self.unknown.fetch_add(1, Ordering::SeqCst),
        };
        self.inner.check_password(l, p).await
    }
    async fn answer_challenge(&self, l: &str, s: &str, c: &str) -> Result<CodeCheck, PortError> {
        self.inner.answer_challenge(l, s, c).await
    }
    fn needs_grant(&self) -> bool {
        self.inner.needs_grant()
    }
    async fn start_totp(&self, l: &str, g: Option<&str>) -> Result<String, PortError> {
        self.inner.start_totp(l, g).await
    }
    async fn confirm_totp(&self, l: &str, g: Option<&str>, c: &str) -> Result<bool, PortError> {
        self.inner.confirm_totp(l, g, c).await
    }
    async fn check_totp(&self, l: &str, g: Option<&str>, c: &str) -> Result<bool, PortError> {
        self.inner.check_totp(l, g, c).await
    }
    async fn disable_totp(&self, l: &str) -> Result<(), PortError> {
        self.inner.disable_totp(l).await
    }
    async fn disable_login(&self, l: &str) -> Result<(), PortError> {
        self.inner.disable_login(l).await
    }
    async fn enable_login(&self, l: &str) -> Result<(), PortError> {
        self.inner.enable_login(l).await
    }
    async fn delete_login(&self, l: &str) -> Result<(), PortError> {
        self.inner.delete_login(l).await
    }
}
