//! Reading the mail an app sent, as a person would: the outbox's files on
//! the embedded backend; on AWS, what was handed to SES (recorded on the way).

use crate::app::{token_of, Backend, TestApp};

impl TestApp {
    /// Every message in the outbox, oldest first (embedded backend only).
    pub fn outbox(&self) -> Vec<String> {
        read_outbox(&self.data_dir)
    }

    /// The invite token of the newest message to `email`, from the outbox or
    /// from what the emulator's SES was asked to send.
    pub fn invite_token_from_mail(&self, email: &str) -> Option<String> {
        self.link_from_mail(email, "/signup?token=")
            .map(|l| token_of(&l))
    }

    /// The newest link to `page` (e.g. `/reset?token=`) mailed to `email`.
    pub fn link_from_mail(&self, email: &str, page: &str) -> Option<String> {
        match self.backend {
            Backend::Embedded => latest_link_to(&self.data_dir, email, page),
            Backend::Aws => self
                .sent_to(email)
                .iter()
                .rev()
                .find_map(|body| crate::aws::link_to(body, page)),
        }
    }

    /// How many messages went to `email` so far.
    pub fn mails_to(&self, email: &str) -> usize {
        match self.backend {
            Backend::Embedded => read_outbox(&self.data_dir)
                .iter()
                .filter(|m| m.lines().any(|l| l.starts_with("To:") && l.contains(email)))
                .count(),
            Backend::Aws => self.sent_to(email).len(),
        }
    }

    /// AWS backend: the text of every mail handed to SES for `email`.
    fn sent_to(&self, email: &str) -> Vec<String> {
        self.sent
            .as_ref()
            .map(|r| r.sent_to(email))
            .unwrap_or_default()
    }
}

pub fn read_outbox(data_dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(data_dir.join("outbox"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// The invite link in the newest outbox message to `email`, read from its
/// text part as a person would.
pub fn latest_link(data_dir: &std::path::Path, email: &str) -> Option<String> {
    latest_link_to(data_dir, email, "/signup?token=")
}

/// The link holding `page` in the newest outbox message to `email` that has one.
pub fn latest_link_to(data_dir: &std::path::Path, email: &str, page: &str) -> Option<String> {
    links_to(data_dir, email, page).pop()
}

/// The links holding `page` in the outbox messages to `email`, oldest first.
pub fn links_to(data_dir: &std::path::Path, email: &str, page: &str) -> Vec<String> {
    read_outbox(data_dir)
        .into_iter()
        .filter(|m| m.lines().any(|l| l.starts_with("To:") && l.contains(email)))
        .filter_map(|m| {
            let unfolded = m
                .replace("=\r\n", "")
                .replace("=\n", "")
                .replace("=3D", "=");
            unfolded
                .split_whitespace()
                .find(|w| w.starts_with("http") && w.contains(page))
                .map(|w| w.trim_end_matches(['"', '>', '<']).to_string())
        })
        .collect()
}
