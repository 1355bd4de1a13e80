//! `Mailer` on SES v2: `SendEmail` with the same text and HTML bodies the
//! outbox writes.

use async_trait::async_trait;
use aws_sdk_sesv2::error::ProvideErrorMetadata;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use aws_sdk_sesv2::Client;
use roster_core::ports::{Mail, Mailer, PortError};

use crate::lazy::Lazy;

pub struct SesMailer {
    client: Lazy<Client>,
    from: String,
}

impl SesMailer {
    /// `from` as it goes in the From header (`Name <address>` or an address).
    pub fn new(client: Lazy<Client>, from: impl Into<String>) -> SesMailer {
        SesMailer {
            client,
            from: from.into(),
        }
    }
}

fn content(data: &str) -> Result<Content, PortError> {
    Content::builder()
        .data(data)
        .charset("UTF-8")
        .build()
        .map_err(|e| PortError::Internal(format!("mail content: {e}")))
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(&self, mail: &Mail) -> Result<(), PortError> {
        let message = Message::builder()
            .subject(content(&mail.subject)?)
            .body(
                Body::builder()
                    .text(content(&mail.text)?)
                    .html(content(&mail.html)?)
                    .build(),
            )
            .build();
        let result = self
            .client
            .get()
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&mail.to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if crate::faults::transient(&e) => Err(PortError::Unavailable(format!(
                "SES SendEmail: {}",
                e.code().unwrap_or("no answer")
            ))),
            Err(e) => Err(PortError::Internal(format!("SES SendEmail: {e:?}"))),
        }
    }
}
