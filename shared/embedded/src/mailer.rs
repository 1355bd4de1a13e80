//! `Mailer` writing each message to `<data-dir>/outbox/<id>.eml`.

use std::path::PathBuf;

use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;
use roster_core::clock::next_ulid;
use roster_core::ports::{Mail, Mailer, PortError};

/// The local outbox: a real RFC 5322 message per file (text and HTML parts),
/// and a log line with the recipient and the link, so a developer can follow
/// an invite without opening the file.
pub struct Outbox {
    dir: PathBuf,
    from: Mailbox,
}

impl Outbox {
    pub fn new(dir: PathBuf, from: &str) -> Result<Outbox, String> {
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create outbox {}: {e}", dir.display()))?;
        let from = from
            .parse()
            .map_err(|e| format!("mail sender {from:?} is not an address: {e}"))?;
        Ok(Outbox { dir, from })
    }
}

#[async_trait]
impl Mailer for Outbox {
    async fn send(&self, mail: &Mail) -> Result<(), PortError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| PortError::Invalid(format!("recipient: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| PortError::Internal(format!("building the message: {e}")))?;
        let id = next_ulid();
        let path = self.dir.join(format!("{id}.eml"));
        let tmp = self.dir.join(format!(".{id}.tmp"));
        let bytes = message.formatted();
        let write = async {
            tokio::fs::write(&tmp, &bytes).await?;
            tokio::fs::rename(&tmp, &path).await
        };
        write
            .await
            .map_err(|e| PortError::Unavailable(format!("writing {}: {e}", path.display())))?;
        tracing::info!(
            to = %mail.to,
            link = mail.link.as_deref().unwrap_or(""),
            file = %path.display(),
            "mail written to the outbox"
        );
        Ok(())
    }
}
