//! An in-process roster driven through its router with `oneshot`: no socket,
//! a fresh store per app, an owner already logged in, and the outbox to read
//! invite links from.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use roster_core::auth::HostedUi;
use roster_core::clock::{Clock, SystemClock};
use roster_core::{Roster, Settings};

use crate::faults::Recording;
use crate::hosted;
use serde_json::{json, Value};
use tempfile::TempDir;
use tower::ServiceExt;

pub const OWNER_EMAIL: &str = "owner@example.com";
pub const PASSWORD: &str = "correct horse battery";

/// An answer: status and JSON body.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    /// The `x-request-id` header.
    pub request_id: Option<String>,
}

impl Resp {
    /// The error code, or "" on success.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    pub fn field(&self) -> &str {
        self.body["error"]["field"].as_str().unwrap_or("")
    }

    /// Asserts success and returns the body.
    #[track_caller]
    pub fn ok(self) -> Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        self.body
    }

    /// Asserts an error with this status and code.
    #[track_caller]
    pub fn err(&self, status: u16, code: &str) {
        assert_eq!(
            (self.status.as_u16(), self.code()),
            (status, code),
            "{}",
            self.body
        );
    }
}

/// A logged-in user of the app.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub email: String,
    pub token: String,
    pub refresh: String,
}

/// Which backend the suite runs on: `ROSTER_TEST_BACKEND=aws` for DynamoDB,
/// SES and Cognito on the emulator; embedded otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Embedded,
    Aws,
}

impl Backend {
    pub fn current() -> Backend {
        match std::env::var("ROSTER_TEST_BACKEND").as_deref() {
            Ok("aws") => Backend::Aws,
            _ => Backend::Embedded,
        }
    }
}

pub struct TestApp {
    pub backend: Backend,
    /// The sender of this app's mail.
    pub mail_from: String,
    pub roster: Roster,
    pub(crate) router: Router,
    pub data_dir: PathBuf,
    _dir: TempDir,
    pub owner: Member,
    /// AWS backend: the emulator's user pool and app client.
    pub(crate) pool: Option<(String, String)>,
    /// AWS backend: every mail handed to SES.
    pub(crate) sent: Option<Arc<Recording>>,
}

pub struct Options {
    pub plan: &'static str,
    pub open_registration: bool,
    /// The plan open registration starts accounts on (default `free`).
    pub registration_plan: Option<String>,
    /// The backend, when not the one `ROSTER_TEST_BACKEND` names.
    pub backend: Option<Backend>,
    /// AWS backend: log every AWS call here.
    pub calls: Option<roster_aws::CallLog>,
    /// Embedded backend: the clock TOTP codes are checked at.
    pub clock: Option<Arc<dyn Clock>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            plan: "team",
            open_registration: false,
            registration_plan: None,
            backend: None,
            calls: None,
            clock: None,
        }
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::with(Options::default()).await
    }

    pub async fn with(options: Options) -> TestApp {
        crate::logs::keep_every_callsite();
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().to_path_buf();
        let settings = Settings {
            open_registration: options.open_registration,
            registration_plan: options
                .registration_plan
                .clone()
                .unwrap_or_else(|| roster_core::plans::DEFAULT_PLAN.into()),
            ..Settings::new("http://roster.test")
        };
        let backend = options.backend.unwrap_or_else(Backend::current);
        let mut sent = None;
        let (roster, mail_from, pool) = match backend {
            Backend::Embedded => {
                let clock = options.clock.unwrap_or_else(|| Arc::new(SystemClock));
                let mut roster = roster_embedded::open_with_clock(
                    &data_dir,
                    settings,
                    crate::aws::MAIL_FROM,
                    clock,
                )
                .unwrap();
                // No user pool here: the test key plays its part.
                roster.hosted_ui = Some(Arc::new(HostedUi::new(
                    hosted::ISSUER,
                    hosted::CLIENT_ID,
                    Arc::new(hosted::StaticJwks::new(&[hosted::KID])),
                )));
                (roster, crate::aws::MAIL_FROM.to_string(), None)
            }
            Backend::Aws => {
                assert!(
                    crate::aws::endpoint().is_some(),
                    "ROSTER_TEST_BACKEND=aws needs AWS_ENDPOINT_URL (the emulator)"
                );
                let fresh = crate::aws::fresh_roster(settings, options.calls).await;
                let mut roster = fresh.roster;
                let recording = Recording::new(roster.mailer.clone());
                roster.mailer = recording.clone();
                sent = Some(recording);
                (
                    roster,
                    fresh.sender,
                    Some((fresh.user_pool_id, fresh.client_id)),
                )
            }
        };
        roster
            .bootstrap("Acme", options.plan, OWNER_EMAIL, PASSWORD)
            .await
            .unwrap();
        let router = roster_api::router(roster.clone());
        let mut app = TestApp {
            backend,
            sent,
            mail_from,
            roster,
            router,
            data_dir,
            _dir: dir,
            owner: Member {
                id: String::new(),
                email: OWNER_EMAIL.into(),
                token: String::new(),
                refresh: String::new(),
            },
            pool,
        };
        app.owner = app.logged_in(OWNER_EMAIL, PASSWORD).await;
        app
    }

    /// Serves another `Roster` (wrapped ports, say) on the same store.
    pub fn use_roster(&mut self, roster: Roster) {
        self.router = roster_api::router(roster.clone());
        self.roster = roster;
    }

    /// The router every call goes through, for tests that read headers.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// `POST /<path>` with a JSON body and an optional bearer token.
    pub async fn call(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.raw(path, "", token, body.to_string().into_bytes())
            .await
    }

    /// The owner calls.
    pub async fn as_owner(&self, path: &str, body: Value) -> Resp {
        self.call(path, Some(&self.owner.token), body).await
    }

    pub async fn as_member(&self, who: &Member, path: &str, body: Value) -> Resp {
        self.call(path, Some(&who.token), body).await
    }

    /// Full control: query string and raw body bytes.
    pub async fn raw(&self, path: &str, query: &str, token: Option<&str>, body: Vec<u8>) -> Resp {
        self.exchange(path, query, token, body, true).await
    }

    /// `POST /<path>` with a body the OpenAPI document doesn't promise to
    /// take, for a test that pins a leniency beyond the contract (an
    /// e-mail with spaces around it): the answer is not held to it.
    pub async fn call_beyond_contract(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.exchange(path, "", token, body.to_string().into_bytes(), false)
            .await
    }

    async fn exchange(
        &self,
        path: &str,
        query: &str,
        token: Option<&str>,
        body: Vec<u8>,
        held_to_contract: bool,
    ) -> Resp {
        let uri = if query.is_empty() {
            format!("/{path}")
        } else {
            format!("/{path}?{query}")
        };
        let mut req = Request::post(uri).header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let response = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body.clone())).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let request_id = header(response.headers(), "x-request-id");
        let content_type = header(response.headers(), "content-type");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        if held_to_contract {
            crate::contract::check(&crate::contract::Exchange {
                method: "POST",
                path: &format!("/{path}"),
                query,
                body: &body,
                status: status.as_u16(),
                content_type: content_type.as_deref(),
                answer: &bytes,
            });
        }
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("not JSON ({status}): {}", String::from_utf8_lossy(&bytes)));
        Resp {
            status,
            body,
            request_id,
        }
    }

    pub async fn login(&self, email: &str, password: &str) -> Resp {
        self.call(
            "user/login",
            None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    pub async fn logged_in(&self, email: &str, password: &str) -> Member {
        let v = self.login(email, password).await.ok();
        Member {
            id: v["user"]["id"].as_str().unwrap().into(),
            email: email.into(),
            token: v["accessToken"].as_str().unwrap().into(),
            refresh: v["refreshToken"].as_str().unwrap().into(),
        }
    }

    /// The owner invites `email` with `role`; returns the pending user (with `inviteUrl`).
    pub async fn invite(&self, email: &str, role: &str) -> Value {
        self.as_owner("user/invite", json!({"email": email, "role": role}))
            .await
            .ok()
    }

    /// Invites, signs up and logs in a user with `role`.
    pub async fn member(&self, email: &str, role: &str) -> Member {
        let invited = self.invite(email, role).await;
        let token = token_of(invited["inviteUrl"].as_str().unwrap());
        self.call(
            "user/signup",
            None,
            json!({"token": token, "first": "Test", "last": "User", "password": PASSWORD}),
        )
        .await
        .ok();
        self.logged_in(email, PASSWORD).await
    }

    /// An id token from the hosted UI for the pool user `username`, with
    /// `email` (verified or not). The same `username` is the same identity
    /// (`sub`), whatever its e-mail.
    pub async fn hosted_token(&self, username: &str, email: &str, verified: bool) -> String {
        match &self.pool {
            None => hosted::id_token(username, email, verified),
            Some((pool, client)) => {
                crate::aws::pool_id_token(pool, client, username, email, verified).await
            }
        }
    }

    /// `user/login` with a hosted-UI token and `body`.
    pub async fn hosted_login(&self, id_token: &str, body: Value) -> Resp {
        self.call("user/login", Some(id_token), body).await
    }
}

/// A header's value, as text.
pub(crate) fn header(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The token in an invite link.
pub fn token_of(url: &str) -> String {
    url.split("token=").nth(1).unwrap().to_string()
}

/// A second account on the app's store, with its owner logged in.
pub async fn other_account(app: &TestApp) -> Member {
    use roster_core::domain::{AccountName, Email, Password};
    let email = Email::parse("boss@other.com").unwrap();
    app.roster
        .create_account(
            &AccountName::parse("Other").unwrap(),
            "team",
            &email,
            &Password::parse(PASSWORD, &email).unwrap(),
            roster_core::Tx::new(),
        )
        .await
        .unwrap();
    app.logged_in("boss@other.com", PASSWORD).await
}
