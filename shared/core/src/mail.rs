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
        // Not the account's name: whoever registers chooses it.
        subject: "Confirm your new account".into(),
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

/// MFA was turned on or off for the user's account (by an admin when
/// `by_admin`): the account's owner hears of it, whoever did it.
pub fn mfa_changed(to: &str, on: bool, by_admin: bool) -> Mail {
    let what = match (on, by_admin) {
        (true, _) => "Two-factor authentication (MFA) was turned on for your account.",
        (false, false) => "Two-factor authentication (MFA) was turned off for your account.",
        (false, true) => {
            "An administrator of your team reset the two-factor authentication (MFA) \
             of your account: it is off, and you were signed out everywhere."
        }
    };
    let text = format!(
        "Hello,\n\n{what}\n\nIf this wasn't you, reset your password and tell \
         an administrator of your team at once.\n"
    );
    let html = page(&format!(
        "<p>Hello,</p><p>{what}</p><p>If this wasn't you, reset your password and \
         tell an administrator of your team at once.</p>"
    ));
    Mail {
        to: to.to_string(),
        subject: if on {
            "MFA is on for your account".into()
        } else {
            "MFA is off for your account".into()
        },
        text,
        html,
        link: None,
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
