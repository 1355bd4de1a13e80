//! The browser pages (DESIGN §5): each served with its security headers,
//! its assets by content hash with long caching, nothing else under
//! `/assets/`. (What the pages do is the browser test's: tests/browser.)

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use roster_api::pages::{CONTENT_SECURITY_POLICY, PAGES};
use roster_tests::app::TestApp;
use tower::ServiceExt;

async fn get(app: &TestApp, uri: &str) -> (StatusCode, HeaderMap, String) {
    let req = Request::get(uri).body(Body::empty()).unwrap();
    let res = app.router().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[track_caller]
fn assert_secured(what: &str, headers: &HeaderMap) {
    assert_eq!(
        header(headers, "content-security-policy"),
        CONTENT_SECURITY_POLICY,
        "{what}"
    );
    let csp = CONTENT_SECURITY_POLICY;
    for must in [
        "default-src 'none'",
        "script-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(must), "{csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(header(headers, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(headers, "referrer-policy"), "no-referrer", "{what}");
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
}

/// The `/assets/…` URLs a document names.
fn assets_of(html: &str) -> Vec<String> {
    html.split("\"/assets/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| format!("/assets/{s}"))
        .collect()
}

#[tokio::test]
async fn every_page_is_served_uncached_with_strict_headers_and_hashed_assets() {
    let app = TestApp::new().await;
    for page in PAGES {
        let (status, headers, html) = get(&app, page.path).await;
        assert_eq!(status, StatusCode::OK, "{}", page.path);
        assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
        assert_eq!(
            header(&headers, "cache-control"),
            "no-cache",
            "{}",
            page.path
        );
        assert_secured(page.path, &headers);
        let assets = assets_of(&html);
        assert!(assets.len() >= 3, "{}: {assets:?}", page.path);
        for asset in assets {
            // roster.<16 hex digits>.css
            let hash = asset.rsplit('.').nth(1).unwrap_or_default();
            assert_eq!(hash.len(), 16, "{asset} has no content hash");
            let (status, headers, _) = get(&app, &asset).await;
            assert_eq!(status, StatusCode::OK, "{asset}");
            assert_eq!(
                header(&headers, "cache-control"),
                "public, max-age=31536000, immutable",
                "{asset}"
            );
            assert_secured(&asset, &headers);
        }
    }
}

#[tokio::test]
async fn a_mailed_links_page_ignores_its_query() {
    let app = TestApp::new().await;
    let (status, _, html) = get(&app, "/signup?token=abc").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("signup."), "{html}");
    let (status, _, html) = get(&app, "/reset?token=abc").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("reset."), "{html}");
}

#[tokio::test]
async fn only_the_pages_assets_are_served() {
    let app = TestApp::new().await;
    let (_, _, html) = get(&app, "/login").await;
    let css = assets_of(&html)
        .into_iter()
        .find(|a| a.ends_with(".css"))
        .unwrap();
    // A stale or made-up hash, another file, a path out of the folder.
    let stale = css.replace(css.rsplit('.').nth(1).unwrap(), "0123456789abcdef");
    for uri in [
        stale.as_str(),
        "/assets/Cargo.toml",
        "/assets/..%2F..%2FCargo.toml",
        "/assets/",
    ] {
        let (status, headers, _) = get(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        if uri != "/assets/" {
            assert_secured(uri, &headers);
        }
    }
    // The plain name works for tools, never cached.
    let (status, headers, body) = get(&app, "/assets/roster.css").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    assert_eq!(header(&headers, "content-type"), "text/css; charset=utf-8");
    assert!(body.contains("box-sizing"));
}

#[tokio::test]
async fn pages_answer_get_only() {
    let app = TestApp::new().await;
    let req = Request::post("/login").body(Body::empty()).unwrap();
    let res = app.router().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
}
