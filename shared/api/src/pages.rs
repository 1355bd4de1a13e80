//! The pages people reach from roster's e-mails and use in a browser:
//! `/signup`, `/login`, `/reset`, `/account`, `/team` and `/`; and `/docs`,
//! the API's document (`/openapi.json`) as a person reads it. Each is a plain
//! HTML document (`shared/api/pages/`) with roster's one stylesheet, its shared
//! script and a script of its own, calling the JSON API on the same origin.
//!
//! Everything is embedded at compile time. Assets are served at
//! `/assets/<name>.<hash>.<ext>`, the hash of their content (computed by a
//! `const fn`, so it costs nothing at start-up), and cached for a year; the
//! pages themselves are never cached, so a new build's assets are picked up
//! at the next load. Every answer carries a strict Content-Security-Policy
//! (only this origin's scripts, styles and API; no inline script or style;
//! no framing) and `Referrer-Policy: no-referrer`, so the token of a mailed
//! link is never sent to another site.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::ops::Function;

/// A page: where it is served and its document.
pub struct Page {
    pub path: &'static str,
    /// The function that serves it in AWS.
    pub function: Function,
    pub file: &'static str,
    html: &'static str,
}

macro_rules! page {
    ($path:literal, $file:literal) => {
        Page {
            path: $path,
            function: Function::Public,
            file: $file,
            html: include_str!(concat!("../pages/", $file)),
        }
    };
}

/// Every page. `GET` routes in the SAM template, on the public function.
pub static PAGES: &[Page] = &[
    page!("/", "index.html"),
    page!("/login", "login.html"),
    page!("/signup", "signup.html"),
    page!("/reset", "reset.html"),
    page!("/account", "account.html"),
    page!("/team", "team.html"),
    page!("/docs", "docs.html"),
];

/// Where the pages' assets are served (`GET`, public function).
pub const ASSETS_ROUTE: &str = "/assets/{file}";

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
    hash: u64,
}

macro_rules! asset {
    ($name:literal, $type:literal) => {
        Asset {
            name: $name,
            content_type: $type,
            bytes: include_bytes!(concat!("../pages/", $name)),
            hash: fnv1a(include_bytes!(concat!("../pages/", $name))),
        }
    };
}

static ASSETS: &[Asset] = &[
    asset!("roster.css", "text/css; charset=utf-8"),
    asset!("roster.js", "text/javascript; charset=utf-8"),
    asset!("index.js", "text/javascript; charset=utf-8"),
    asset!("login.js", "text/javascript; charset=utf-8"),
    asset!("signup.js", "text/javascript; charset=utf-8"),
    asset!("reset.js", "text/javascript; charset=utf-8"),
    asset!("account.js", "text/javascript; charset=utf-8"),
    asset!("team.js", "text/javascript; charset=utf-8"),
    asset!("docs.js", "text/javascript; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
];

/// FNV-1a, 64 bits: a content fingerprint for cache busting, not a security
/// hash (the assets are public and ours).
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

impl Asset {
    /// `roster.css` → `roster.1f2e3d4c5b6a7988.css`.
    fn hashed_name(&self) -> String {
        match self.name.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{:016x}.{ext}", self.hash),
            None => format!("{}.{:016x}", self.name, self.hash),
        }
    }
}

/// The policy every page and asset is served with.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// The pages' documents with their assets' hashed names, made once.
fn rendered() -> &'static [String] {
    static RENDERED: OnceLock<Vec<String>> = OnceLock::new();
    RENDERED.get_or_init(|| {
        PAGES
            .iter()
            .map(|page| {
                ASSETS.iter().fold(page.html.to_string(), |html, asset| {
                    html.replace(
                        &format!("\"/assets/{}\"", asset.name),
                        &format!("\"/assets/{}\"", asset.hashed_name()),
                    )
                })
            })
            .collect()
    })
}

/// The document served at `page.path`.
pub fn html(page: &Page) -> &'static str {
    PAGES
        .iter()
        .position(|p| std::ptr::eq(p, page))
        .and_then(|i| rendered().get(i))
        .map_or(page.html, String::as_str)
}

/// Answers a page.
pub async fn serve_page(page: &'static Page) -> Response {
    secured(
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            html(page),
        )
            .into_response(),
    )
}

/// Answers `/assets/<file>`: by its hashed name for a year, by its plain name
/// (tools, the event fixture) without caching; anything else is a 404.
pub async fn serve_asset(Path(file): Path<String>) -> Response {
    let found = ASSETS.iter().find_map(|a| {
        if file == a.hashed_name() {
            Some((a, "public, max-age=31536000, immutable"))
        } else if file == a.name {
            Some((a, "no-cache"))
        } else {
            None
        }
    });
    let response = match found {
        Some((asset, cache)) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, cache),
            ],
            asset.bytes,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "no such file",
        )
            .into_response(),
    };
    secured(response)
}

/// Adds the headers that keep a page from being framed, leaking its URL or
/// running anything but roster's own scripts.
fn secured(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 5] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Each page's weight with everything it loads, in bytes (the budget
/// is 50 KB before compression).
pub fn weights() -> Vec<(&'static str, usize)> {
    PAGES
        .iter()
        .map(|page| {
            let assets: usize = ASSETS
                .iter()
                .filter(|a| page.html.contains(&format!("\"/assets/{}\"", a.name)))
                .map(|a| a.bytes.len())
                .sum();
            (page.path, page.html.len() + assets)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_a_page_names_exists_and_is_rewritten() {
        for (page, html) in PAGES.iter().zip(rendered()) {
            for name in html
                .split("\"/assets/")
                .skip(1)
                .filter_map(|s| s.split('"').next())
            {
                assert!(
                    ASSETS.iter().any(|a| a.hashed_name() == name),
                    "{} names /assets/{name}, which is no hashed asset",
                    page.path
                );
            }
        }
    }

    #[test]
    fn every_page_weighs_under_50_kb() {
        for (path, bytes) in weights() {
            assert!(bytes < 50_000, "{path} weighs {bytes} bytes");
        }
    }

    #[test]
    fn no_page_has_inline_script_or_style() {
        for page in PAGES {
            let html = page.html;
            assert!(!html.contains("style="), "{}: inline style", page.path);
            assert!(!html.contains("<style"), "{}: style element", page.path);
            for script in html.split("<script").skip(1) {
                assert!(
                    script.trim_start().starts_with("src="),
                    "{}: inline script",
                    page.path
                );
            }
            let handler = html.match_indices(" on").any(|(i, _)| {
                let rest = &html[i + 3..];
                let word = rest.bytes().take_while(u8::is_ascii_lowercase).count();
                word > 0 && rest[word..].starts_with('=')
            });
            assert!(!handler, "{}: inline event handler", page.path);
        }
    }

    #[test]
    fn hashes_follow_content() {
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
        assert_eq!(ASSETS[0].hashed_name().len(), "roster..css".len() + 16);
    }
}
