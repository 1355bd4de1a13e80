//! The e-mails roster sends, each with a plain-text and an HTML part.

use crate::clock::rfc3339;
use crate::ports::Mail;

/// An invite into `account` from `inviter`.
pub fn invite(to: &str, inviter: &str, account: &str, role: &str, url: &str, expires: i64) -> Mail {
    let expires = rfc3339(expires);
    let text = format!(
        "Hello,\n\n{inviter} invited you to join {account} as {role}.\n\n\
         Accept the invitation: {url}\n\n\
         The link works once and expires at {expires}.\n"
    );
    let html = page(&format!(
        "<p>Hello,</p>\
         <p>{inviter} invited you to join <strong>{account}</strong> as {role}.</p>\
         <p><a href=\"{url}\">Accept the invitation</a></p>\
         <p>The link works once and expires at {expires}.</p>",
        inviter = escape(inviter),
        account = escape(account),
        url = escape(url),
    ));
    Mail {
        to: to.to_string(),
        subject: format!("{inviter} invited you to {account}"),
        text,
        html,
        link: Some(url.to_string()),
    }
}

/// A link to set a new password.
pub fn reset(to: &str, url: &str, expires: i64) -> Mail {
    let expires = rfc3339(expires);
    let text = format!(
        "Hello,\n\nSomeone (we hope you) asked to reset the password of your account.\n\n\
         Choose a new password: {url}\n\n\
         The link works once and expires at {expires}. If you did not ask for \
         this, ignore this message: your password stays as it is.\n"
    );
    let html = page(&format!(
        "<p>Hello,</p>\
         <p>Someone (we hope you) asked to reset the password of your account.</p>\
         <p><a href=\"{url}\">Choose a new password</a></p>\
         <p>The link works once and expires at {expires}. If you did not ask for \
         this, ignore this message: your password stays as it is.</p>",
        url = escape(url),
    ));
    Mail {
        to: to.to_string(),
        subject: "Reset your password".into(),
        text,
        html,
        link: Some(url.to_string()),
    }
}

/// A link that creates the account `account` once followed.
pub fn register(to: &str, account: &str, url: &str, expires: i64) -> Mail {
    let expires = rfc3339(expires);
    let text = format!(
        "Hello,\n\nSomeone (we hope you) asked to create the account {account} \
         with this address.\n\nConfirm and choose your password: {url}\n\n\
         The link works once and expires at {expires}. If you did not ask for \
         this, ignore this message.\n"
    );
    let html = page(&format!(
        "<p>Hello,</p>\
         <p>Someone (we hope you) asked to create the account <strong>{account}</strong> \
         with this address.</p>\
         <p><a href=\"{url}\">Confirm and choose your password</a></p>\
         <p>The link works once and expires at {expires}. If you did not ask for \
         this, ignore this message.</p>",
        account = escape(account),
        url = escape(url),
    ));
    Mail {
        to: to.to_string(),
        subject: format!("Confirm your new account {account}"),
        text,
        html,
        link: Some(url.to_string()),
    }
}

/// Someone tried to register an address that already has a user: its owner
/// is told (the one who asked is told nothing, as for a new address).
pub fn already_registered(to: &str, login_url: &str, reset_url: &str) -> Mail {
    let text = format!(
        "Hello,\n\nSomeone (we hope you) asked to create an account with this \
         address, but it already belongs to a user.\n\n\
         Log in: {login_url}\nForgot your password? {reset_url}\n\n\
         If you did not ask for this, ignore this message.\n"
    );
    let html = page(&format!(
        "<p>Hello,</p>\
         <p>Someone (we hope you) asked to create an account with this address, \
         but it already belongs to a user.</p>\
         <p><a href=\"{login}\">Log in</a> or \
         <a href=\"{reset}\">reset your password</a>.</p>\
         <p>If you did not ask for this, ignore this message.</p>",
        login = escape(login_url),
        reset = escape(reset_url),
    ));
    Mail {
        to: to.to_string(),
        subject: "You already have an account".into(),
        text,
        html,
        link: Some(login_url.to_string()),
    }
}

fn page(body: &str) -> String {
    format!("<!doctype html><html><body>{body}</body></html>")
}

/// Text for HTML: names and links come from users.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
