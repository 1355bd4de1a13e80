//! user/find: filters, both indexes, cursors both ways, refused cursors.

use roster_tests::app::TestApp;
use serde_json::{json, Value};

fn emails(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect()
}

/// The owner plus six invites, created in this order.
async fn seeded() -> TestApp {
    let app = TestApp::new().await;
    for (email, role) in [
        ("f@example.com", "user"),
        ("b@example.com", "admin"),
        ("e@example.com", "viewer"),
        ("a@example.com", "user"),
        ("d@example.com", "user"),
        ("c@example.com", "viewer"),
    ] {
        app.invite(email, role).await;
    }
    app
}

async fn find(app: &TestApp, query: &str, body: Value) -> roster_tests::app::Resp {
    app.raw(
        "user/find",
        query,
        Some(&app.owner.token),
        body.to_string().into_bytes(),
    )
    .await
}

#[tokio::test]
async fn primary_order_is_creation_order_and_pages_link_both_ways() {
    let app = seeded().await;
    let p1 = find(&app, "limit=3", json!({})).await.ok();
    assert_eq!(
        emails(&p1),
        ["owner@example.com", "f@example.com", "b@example.com"]
    );
    assert!(p1.get("prev").is_none());
    let next = p1["next"].as_str().unwrap();
    let p2 = find(&app, &format!("limit=3&next={next}"), json!({}))
        .await
        .ok();
    assert_eq!(
        emails(&p2),
        ["e@example.com", "a@example.com", "d@example.com"]
    );
    let p3 = find(
        &app,
        &format!("limit=3&next={}", p2["next"].as_str().unwrap()),
        json!({}),
    )
    .await
    .ok();
    assert_eq!(emails(&p3), ["c@example.com"]);
    assert!(p3.get("next").is_none(), "the last page carries no next");
    // Back from page 3 is page 2, and back from page 2 is page 1.
    let back = find(
        &app,
        &format!("limit=3&prev={}", p3["prev"].as_str().unwrap()),
        json!({}),
    )
    .await
    .ok();
    assert_eq!(emails(&back), emails(&p2));
    let first = find(
        &app,
        &format!("limit=3&prev={}", back["prev"].as_str().unwrap()),
        json!({}),
    )
    .await
    .ok();
    assert_eq!(emails(&first), emails(&p1));
    assert!(first.get("prev").is_none());
}

#[tokio::test]
async fn an_exact_last_page_has_no_next() {
    let app = seeded().await;
    let p = find(&app, "limit=7", json!({})).await.ok();
    assert_eq!(emails(&p).len(), 7);
    assert!(p.get("next").is_none());
}

#[tokio::test]
async fn gs1_orders_by_email() {
    let app = seeded().await;
    let p1 = find(&app, "index=gs1&limit=4", json!({})).await.ok();
    assert_eq!(
        emails(&p1),
        [
            "a@example.com",
            "b@example.com",
            "c@example.com",
            "d@example.com"
        ]
    );
    let p2 = find(
        &app,
        &format!("index=gs1&limit=4&next={}", p1["next"].as_str().unwrap()),
        json!({}),
    )
    .await
    .ok();
    assert_eq!(
        emails(&p2),
        ["e@example.com", "f@example.com", "owner@example.com"]
    );
    assert!(p2.get("next").is_none());
}

#[tokio::test]
async fn filters_narrow_the_page() {
    let app = seeded().await;
    let users = find(&app, "", json!({"role": "user"})).await.ok();
    assert_eq!(
        emails(&users),
        ["f@example.com", "a@example.com", "d@example.com"]
    );
    let pending_viewers = find(
        &app,
        "index=gs1",
        json!({"role": "viewer", "state": "pending"}),
    )
    .await
    .ok();
    assert_eq!(emails(&pending_viewers), ["c@example.com", "e@example.com"]);
    let one = find(&app, "", json!({"email": "D@example.com"})).await.ok();
    assert_eq!(emails(&one), ["d@example.com"]);
    let one = find(&app, "index=gs1", json!({"email": "d@example.com"}))
        .await
        .ok();
    assert_eq!(emails(&one), ["d@example.com"]);
    let id = one["data"][0]["id"].clone();
    let by_id = find(&app, "", json!({"id": id})).await.ok();
    assert_eq!(emails(&by_id), ["d@example.com"]);
    let by_id = find(&app, "index=gs1", json!({"id": id})).await.ok();
    assert_eq!(emails(&by_id), ["d@example.com"]);
    let active = find(&app, "", json!({"state": "active"})).await.ok();
    assert_eq!(emails(&active), ["owner@example.com"]);
}

#[tokio::test]
async fn query_matches_prefixes_of_email_and_name() {
    let app = TestApp::new().await;
    app.as_owner(
        "user/invite",
        json!({"email": "zed@example.com", "role": "user", "first": "Ann", "last": "Lee"}),
    )
    .await
    .ok();
    app.as_owner(
        "user/invite",
        json!({"email": "annie@example.com", "role": "user", "first": "Bo", "last": "Svensson"}),
    )
    .await
    .ok();
    let p = find(&app, "", json!({"query": "ANN"})).await.ok();
    assert_eq!(emails(&p), ["zed@example.com", "annie@example.com"]);
    let p = find(&app, "", json!({"query": "sven"})).await.ok();
    assert_eq!(emails(&p), ["annie@example.com"]);
    let p = find(&app, "", json!({"query": "ann l"})).await.ok();
    assert_eq!(emails(&p), ["zed@example.com"]);
}

#[tokio::test]
async fn filtered_pages_hold_at_most_limit_matches() {
    let app = seeded().await;
    let p1 = find(&app, "limit=2", json!({"role": "user"})).await.ok();
    assert_eq!(emails(&p1), ["f@example.com", "a@example.com"]);
    let p2 = find(
        &app,
        &format!("limit=2&next={}", p1["next"].as_str().unwrap()),
        json!({"role": "user"}),
    )
    .await
    .ok();
    assert_eq!(emails(&p2), ["d@example.com"]);
    assert!(p2.get("next").is_none());
}

#[tokio::test]
async fn details_adds_groups() {
    let app = seeded().await;
    let p = find(&app, "limit=1", json!({"details": true})).await.ok();
    assert_eq!(p["data"][0]["groups"], json!([]));
    let p = find(&app, "limit=1", json!({})).await.ok();
    assert!(p["data"][0].get("groups").is_none());
}

#[tokio::test]
async fn a_tampered_cursor_is_refused() {
    let app = seeded().await;
    let p1 = find(&app, "limit=2", json!({})).await.ok();
    let next = p1["next"].as_str().unwrap();
    let mut chars: Vec<char> = next.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    let altered: String = chars.into_iter().collect();
    for bad in [altered.as_str(), "garbage", "AAAA"] {
        let r = find(&app, &format!("limit=2&next={bad}"), json!({})).await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "next");
    }
}

#[tokio::test]
async fn a_cursor_of_another_query_is_refused() {
    let app = seeded().await;
    let p1 = find(&app, "limit=2", json!({})).await.ok();
    let next = p1["next"].as_str().unwrap();
    // Other filters, another index, the other direction.
    find(
        &app,
        &format!("limit=2&next={next}"),
        json!({"role": "user"}),
    )
    .await
    .err(400, "INVALID");
    find(&app, &format!("index=gs1&limit=2&next={next}"), json!({}))
        .await
        .err(400, "INVALID");
    let r = find(&app, &format!("limit=2&prev={next}"), json!({})).await;
    r.err(400, "INVALID");
    assert_eq!(r.field(), "prev");
    // Another account's caller cannot replay it either.
    let other = TestApp::new().await;
    other
        .raw(
            "user/find",
            &format!("limit=2&next={next}"),
            Some(&other.owner.token),
            b"{}".to_vec(),
        )
        .await
        .err(400, "INVALID");
    // A different limit is the same query.
    find(&app, &format!("limit=3&next={next}"), json!({}))
        .await
        .ok();
}

#[tokio::test]
async fn paging_options_are_validated() {
    let app = seeded().await;
    for (q, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=x", "limit"),
        ("index=email", "index"),
    ] {
        let r = find(&app, q, json!({})).await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), field, "{q}");
    }
    find(&app, "next=a&prev=b", json!({}))
        .await
        .err(400, "BAD_REQUEST");
    find(&app, "limit=100", json!({})).await.ok();
    // Filters are validated too.
    for (body, field) in [
        (json!({"role": "boss"}), "role"),
        (json!({"state": "gone"}), "state"),
        (json!({"email": "x"}), "email"),
        (json!({"id": "x"}), "id"),
    ] {
        let r = find(&app, "", body).await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), field);
    }
}

#[tokio::test]
async fn every_member_may_find() {
    let app = seeded().await;
    let viewer = app.member("v@example.com", "viewer").await;
    let p = app.as_member(&viewer, "user/find", json!({})).await.ok();
    assert_eq!(emails(&p).len(), 8);
}
