//! SCIM requests through the router, in process: the token's and its
//! admin's consistent reads, the request, the resource's JSON. An account
//! of 200 users (so a list filters 201), as an identity provider sends them.
//!
//! `cargo bench -p roster-bench --bench scim` (release profile).

use axum::body::Body;
use axum::http::Request;
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::BodyExt;
use roster_tests::app::TestApp;
use roster_tests::scim::okta_user;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::runtime::Runtime;
use tower::ServiceExt;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn request(method: &str, uri: &str, token: &str, body: Option<&Value>) -> Request<Body> {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/scim+json");
    req.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap()
}

fn scim(c: &mut Criterion) {
    let rt = Runtime::new().unwrap();
    let (app, token, id) = rt.block_on(async {
        let app = TestApp::with(roster_tests::app::Options {
            plan: "business",
            ..Default::default()
        })
        .await;
        // Room for every user the POST benchmark makes.
        let plan = json!({"seats": {"admin": 5, "user": 100_000, "viewer": 0}, "groups": 10});
        app.as_owner("account/update", json!({"plan": plan}))
            .await
            .ok();
        let token = app.scim_token().await;
        let mut id = String::new();
        for i in 0..200 {
            let u = app
                .scim(
                    "POST",
                    "/Users",
                    &token,
                    Some(okta_user(&format!("u{i:03}@example.com"), "U", "N")),
                )
                .await
                .expect(201);
            id = u["id"].as_str().unwrap().to_string();
        }
        (app, token, id)
    });
    let router = roster_api::router(app.roster.clone());
    let send = |req: Request<Body>| {
        let router = router.clone();
        async move {
            let r = router.oneshot(req).await.unwrap();
            assert!(r.status().is_success(), "{}", r.status());
            r.into_body().collect().await.unwrap().to_bytes()
        }
    };

    let mut group = c.benchmark_group("scim");
    let by_name = "/scim/v2/Users?filter=userName%20eq%20%22u100%40example.com%22";
    group.bench_function("GET /Users?filter=userName eq (by key)", |b| {
        b.to_async(&rt)
            .iter(|| send(request("GET", by_name, &token, None)))
    });
    let by_ext = "/scim/v2/Users?filter=externalId%20eq%20%2200uu%22&count=100";
    group.bench_function(
        "GET /Users?filter=externalId eq (201 users filtered)",
        |b| {
            b.to_async(&rt)
                .iter(|| send(request("GET", by_ext, &token, None)))
        },
    );
    let one = format!("/scim/v2/Users/{id}");
    group.bench_function("GET /Users/{id}", |b| {
        b.to_async(&rt)
            .iter(|| send(request("GET", &one, &token, None)))
    });
    let flip = AtomicU64::new(0);
    group.bench_function("PATCH /Users/{id} (a name)", |b| {
        b.to_async(&rt).iter(|| {
            let n = flip.fetch_add(1, Ordering::Relaxed);
            let body = json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "name.givenName", "value": format!("G{n}")}],
            });
            send(request("PATCH", &one, &token, Some(&body)))
        })
    });
    let made = AtomicU64::new(0);
    group.bench_function("POST /Users (and its invite mail)", |b| {
        b.to_async(&rt).iter(|| {
            let n = made.fetch_add(1, Ordering::Relaxed);
            let body = okta_user(&format!("new{n}@example.com"), "N", "W");
            send(request("POST", "/scim/v2/Users", &token, Some(&body)))
        })
    });
    group.finish();
}

criterion_group!(benches, scim);
criterion_main!(benches);
