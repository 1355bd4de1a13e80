//! The `JwksSource` port: where the hosted UI's signing keys come from (the
//! user pool's `/.well-known/jwks.json` over HTTPS in AWS; a fixed set in tests).

use async_trait::async_trait;

use super::PortError;

#[async_trait]
pub trait JwksSource: Send + Sync {
    /// The key set's JSON, fetched fresh (the caller caches it).
    async fn fetch(&self) -> Result<Vec<u8>, PortError>;
}
