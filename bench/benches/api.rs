//! Latency per operation through the router, in process (no socket): the
//! caller's signature check and consistent read, the use case, the JSON.
//!
//! `cargo bench -p roster-bench` (release profile). `user/login` is
//! dominated by argon2id, so its cost is reported on its own as well; the
//! MFA group measures enrolment's secret + QR code and the two-step login.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::body::Body;
use axum::http::Request;
use criterion::{criterion_group, criterion_main, Criterion};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use http_body_util::BodyExt;
use roster_tests::app::{TestApp, OWNER_EMAIL, PASSWORD};
use roster_tests::mfa::OffsetClock;
use roster_tests::totp;
use serde_json::json;
use tokio::runtime::Runtime;
use tower::ServiceExt;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn post(path: &str, token: Option<&str>, body: &str) -> Request<Body> {
    let mut req = Request::post(path).header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    req.body(Body::from(body.to_string())).unwrap()
}

fn operations(c: &mut Criterion) {
    let rt = Runtime::new().unwrap();
    let app = rt.block_on(async {
        let app = TestApp::with(roster_tests::app::Options {
            plan: "business",
            ..Default::default()
        })
        .await;
        for i in 0..200 {
            app.invite(&format!("user{i:03}@example.com"), "user").await;
        }
        app
    });
    let router = roster_api::router(app.roster.clone());
    let token = app.owner.token.clone();
    let owner_id = app.owner.id.clone();
    let get_body = json!({"id": owner_id}).to_string();
    let login_body = json!({"email": OWNER_EMAIL, "password": PASSWORD}).to_string();

    let mut group = c.benchmark_group("router");
    group.bench_function("user/info", |b| {
        b.to_async(&rt).iter(|| async {
            let r = router
                .clone()
                .oneshot(post("/user/info", Some(&token), "{}"))
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    });
    group.bench_function("user/get", |b| {
        b.to_async(&rt).iter(|| async {
            let r = router
                .clone()
                .oneshot(post("/user/get", Some(&token), &get_body))
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    });
    group.bench_function("user/find (25)", |b| {
        b.to_async(&rt).iter(|| async {
            let r = router
                .clone()
                .oneshot(post("/user/find?limit=25", Some(&token), "{}"))
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    });
    group.sample_size(20);
    group.bench_function("user/login", |b| {
        b.to_async(&rt).iter(|| async {
            let r = router
                .clone()
                .oneshot(post("/user/login", None, &login_body))
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    });
    group.finish();
    mfa(c, &rt);
    teams(c, &rt);
    compat(c, &rt);
    pages(c, &rt);

    // The use case alone, without HTTP and JSON: table reads and decoding.
    let caller = rt.block_on(app.roster.authenticate(&token)).unwrap();
    let find = roster_core::users::FindUsers::default();
    c.bench_function("core/find_users (25)", |b| {
        b.to_async(&rt)
            .iter(|| async { app.roster.find_users(&caller, &find).await.unwrap() })
    });
    let mut q = roster_core::ports::Query::new(
        roster_core::ports::Index::Primary,
        format!("ACCT#{}", caller.user.account_id),
    );
    q.sk = Some(roster_core::ports::SortKey::BeginsWith("USER#".into()));
    q.limit = Some(26);
    c.bench_function("table/query (26 users)", |b| {
        b.to_async(&rt)
            .iter(|| async { app.roster.table.query(&q).await.unwrap() })
    });

    // What every authenticated request spends checking its access token.
    let keys = app.roster.keys.clone();
    c.bench_function("access token/verify (seen before)", |b| {
        b.iter(|| keys.verify_access(&token).unwrap())
    });

    // What user/login spends in argon2id (roster's parameters: the crate's
    // defaults, m=19 MiB, t=2, p=1).
    let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
    let hash = Argon2::default()
        .hash_password(PASSWORD.as_bytes(), &salt)
        .unwrap()
        .to_string();
    let parsed = PasswordHash::new(&hash).unwrap();
    let mut group = c.benchmark_group("argon2id");
    group.sample_size(20);
    group.bench_function("verify", |b| {
        b.iter(|| {
            Argon2::default()
                .verify_password(PASSWORD.as_bytes(), &parsed)
                .unwrap()
        })
    });
    group.finish();
}

/// `user/mfaSecret` (a new secret stored sealed, its QR code as SVG) and the
/// two-step MFA login (`{email, password}` → challenge → `{session, code}`).
/// A code completes one login, so the identity's clock moves one 30 s step
/// per login and each login answers with that step's code.
fn mfa(c: &mut Criterion, rt: &Runtime) {
    let clock = Arc::new(OffsetClock::default());
    let app = rt.block_on(TestApp::with(roster_tests::app::Options {
        clock: Some(clock.clone()),
        ..Default::default()
    }));
    let router = roster_api::router(app.roster.clone());
    let token = app.owner.token.clone();
    let mut group = c.benchmark_group("mfa");
    group.bench_function("user/mfaSecret", |b| {
        b.to_async(rt).iter(|| async {
            let r = router
                .clone()
                .oneshot(post("/user/mfaSecret", Some(&token), "{}"))
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    });
    let enrolled = rt.block_on(app.enrol(&app.owner));
    let login_body = json!({"email": OWNER_EMAIL, "password": PASSWORD}).to_string();
    let step = AtomicI64::new(0);
    group.sample_size(20);
    group.bench_function("user/login, MFA (two steps)", |b| {
        b.to_async(rt).iter(|| async {
            let offset = step.fetch_add(30, Ordering::SeqCst) + 30;
            clock.set_secs(offset);
            let r = router
                .clone()
                .oneshot(post("/user/login", None, &login_body))
                .await
                .unwrap();
            let bytes = r.into_body().collect().await.unwrap().to_bytes();
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let code = totp::code_at(&enrolled.secret, totp::now_secs() + offset as u64);
            let answer = json!({"session": v["session"], "code": code}).to_string();
            let r = router
                .clone()
                .oneshot(post("/user/login", None, &answer))
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    });
    group.finish();
}

/// `user/find {details: true}` on a page of 25 users in 3 groups each (one
/// Query of users, one of group names), and `group/import` of 200 rows: new
/// people into 3 groups (3 transactions of 100 actions at most, 200 mails
/// to the outbox), and the same rows again (nothing to write).
fn teams(c: &mut Criterion, rt: &Runtime) {
    let app = rt.block_on(TestApp::with(roster_tests::app::Options {
        plan: r#"{"seats": {"admin": 5, "user": 100000, "viewer": 5}, "groups": 1000}"#,
        ..Default::default()
    }));
    let router = roster_api::router(app.roster.clone());
    let token = app.owner.token.clone();
    let rows = |prefix: &str| {
        let rows: Vec<_> = (0..200)
            .map(|i| {
                let groups = [
                    format!("G{}", i % 10),
                    format!("G{}", (i + 1) % 10),
                    format!("G{}", (i + 2) % 10),
                ];
                json!({"user": {"email": format!("{prefix}{i:03}@example.com"), "role": "user",
                                "first": "Person", "last": format!("{i:03}")},
                       "groups": groups})
            })
            .collect();
        json!({ "rows": rows }).to_string()
    };
    let seed = rows("member");
    // The owner too, so the first page is 25 users in 3 groups each.
    let owner = json!({"rows": [{"user": {"email": OWNER_EMAIL, "role": "user"},
                                 "groups": ["G0", "G1", "G2"]}]})
    .to_string();
    rt.block_on(async {
        for body in [&seed, &owner] {
            let r = router
                .clone()
                .oneshot(post("/group/import", Some(&token), body))
                .await
                .unwrap();
            assert!(r.status().is_success());
        }
    });
    let mut group = c.benchmark_group("teams");
    group.bench_function("user/find {details} (25 users × 3 groups)", |b| {
        b.to_async(rt).iter(|| async {
            let r = router
                .clone()
                .oneshot(post(
                    "/user/find?limit=25",
                    Some(&token),
                    r#"{"details": true}"#,
                ))
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    });
    group.sample_size(10);
    let batch = AtomicI64::new(0);
    group.bench_function("group/import (200 new rows)", |b| {
        b.to_async(rt).iter(|| async {
            let body = rows(&format!("b{}-", batch.fetch_add(1, Ordering::SeqCst)));
            let r = router
                .clone()
                .oneshot(post("/group/import", Some(&token), &body))
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    });
    group.bench_function("group/import (the same 200 rows again)", |b| {
        b.to_async(rt).iter(|| async {
            let r = router
                .clone()
                .oneshot(post("/group/import", Some(&token), &seed))
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    });
    group.finish();
}

/// The replaced APIs' offset paging, which reads the whole list, sorts and
/// cuts it in memory: a page of 50 of 1,000 users, then of 5,000 (the most
/// one call serves), plain and with details (each row's groups).
fn compat(c: &mut Criterion, rt: &Runtime) {
    let app = rt.block_on(TestApp::with(roster_tests::app::Options {
        plan: r#"{"seats": {"admin": 5, "user": 100000, "viewer": 5}, "groups": 1000}"#,
        ..Default::default()
    }));
    let router = roster_api::router(app.roster.clone());
    let token = app.owner.token.clone();
    let seed = |from: usize, to: usize| {
        let router = router.clone();
        let token = token.clone();
        async move {
            for start in (from..to).step_by(200) {
                let rows: Vec<_> = (start..(start + 200).min(to))
                    .map(|i| {
                        json!({"user": {"email": format!("p{i:05}@example.com"), "role": "user",
                                        "first": "Person", "last": format!("{i:05}")},
                               "groups": [format!("G{}", i % 10), format!("G{}", (i + 1) % 10)]})
                    })
                    .collect();
                let body = json!({ "rows": rows }).to_string();
                let r = router
                    .clone()
                    .oneshot(post("/group/import", Some(&token), &body))
                    .await
                    .unwrap();
                assert!(r.status().is_success());
            }
        }
    };
    let get = |uri: String| {
        let router = router.clone();
        let token = token.clone();
        async move {
            let req = Request::get(uri)
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap();
            let r = router.oneshot(req).await.unwrap();
            assert!(r.status().is_success());
            r.into_body().collect().await.unwrap();
        }
    };
    let mut group = c.benchmark_group("compat");
    group.sample_size(20);
    // With the owner: 1,000 users, then 5,000.
    for (from, to) in [(0, 999), (999, 4_999)] {
        rt.block_on(seed(from, to));
        let users = to + 1;
        group.bench_function(format!("get_all_users (50 of {users})"), |b| {
            b.to_async(rt)
                .iter(|| get("/api/v1/user/get_all_users?pagesize=50&sortfield=Username".into()))
        });
        group.bench_function(format!("get_all_users_with_details (50 of {users})"), |b| {
            b.to_async(rt)
                .iter(|| get("/api/v1/user/get_all_users_with_details?pagesize=50".into()))
        });
    }
    group.finish();
}

/// The browser pages: a page (its document, made once per process) and an
/// asset by its hashed name, with their security headers.
fn pages(c: &mut Criterion, rt: &Runtime) {
    let app = rt.block_on(TestApp::new());
    let router = roster_api::router(app.roster.clone());
    let html = rt.block_on(async {
        let r = router
            .clone()
            .oneshot(Request::get("/team").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    });
    let script = html
        .split("\"/assets/")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.starts_with("team."))
        .map(|s| format!("/assets/{s}"))
        .unwrap();
    let get = |uri: String| {
        let router = router.clone();
        async move {
            let r = router
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert!(r.status().is_success());
            r.into_body().collect().await.unwrap();
        }
    };
    let mut group = c.benchmark_group("pages");
    group.bench_function("GET /team", |b| b.to_async(rt).iter(|| get("/team".into())));
    group.bench_function("GET /assets/team.<hash>.js", |b| {
        b.to_async(rt).iter(|| get(script.clone()))
    });
    group.bench_function("GET /docs", |b| b.to_async(rt).iter(|| get("/docs".into())));
    group.finish();

    // The OpenAPI document: made once per process (the first GET pays it),
    // then served as it is.
    let mut group = c.benchmark_group("openapi");
    group.bench_function("document, built", |b| b.iter(roster_api::openapi::document));
    group.bench_function("GET /openapi.json", |b| {
        b.to_async(rt).iter(|| get("/openapi.json".into()))
    });
    group.finish();
}

criterion_group!(benches, operations);
criterion_main!(benches);
