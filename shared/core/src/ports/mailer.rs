//! The `Mailer` port: send one message.

use async_trait::async_trait;

use super::PortError;

/// One e-mail with a plain-text and an HTML body.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The link the message exists for. Only the local outbox logs it, so a
    /// developer can follow an invite without opening the file.
    pub link: Option<String>,
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: &Mail) -> Result<(), PortError>;
}
