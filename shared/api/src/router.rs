//! The axum routers, built from the operation table. Auth extraction, body
//! limits, strict bodies, request ids and error mapping happen here, once.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, on, post, MethodFilter};
use axum::{Json, Router};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use roster_core::users::Caller;
use roster_core::{Error, Roster};
use serde_json::{json, Value};
use tracing::Instrument;

use crate::ops::{Function, Operation, OPERATIONS};
use crate::{compat, openapi, pages, scim};
use crate::{ApiError, Call};

/// Every operation, compatibility route and page, for the local server.
pub fn router(roster: Roster) -> Router {
    build(
        roster,
        OPERATIONS.iter(),
        compat::ROUTES.iter(),
        pages::PAGES.iter(),
        true,
    )
}

/// The operations, compatibility routes and pages one Lambda function serves.
pub fn router_for(function: Function, roster: Roster) -> Router {
    build(
        roster,
        OPERATIONS.iter().filter(move |op| op.function == function),
        compat::ROUTES
            .iter()
            .filter(move |r| r.function == function),
        pages::PAGES.iter().filter(move |p| p.function == function),
        function == scim::FUNCTION,
    )
}

fn build(
    roster: Roster,
    ops: impl Iterator<Item = &'static Operation>,
    routes: impl Iterator<Item = &'static compat::Route>,
    pages: impl Iterator<Item = &'static pages::Page>,
    with_scim: bool,
) -> Router {
    let mut router = Router::new();
    // The function that serves the pages (the public one) also serves their
    // assets and the OpenAPI document.
    let mut public_face = false;
    for page in pages {
        router = router.route(page.path, get(move || pages::serve_page(page)));
        public_face = true;
    }
    if public_face {
        router = router
            .route(pages::ASSETS_ROUTE, get(pages::serve_asset))
            .route(openapi::ROUTE, get(openapi::serve));
    }
    for op in ops {
        router = router.route(
            &format!("/{}", op.path),
            post(move |State(roster): State<Roster>, req: Request| dispatch(op, roster, req)),
        );
    }
    for route in routes {
        let method = match route.method {
            compat::Method::Get => MethodFilter::GET,
            compat::Method::Post => MethodFilter::POST,
            compat::Method::Put => MethodFilter::PUT,
            compat::Method::Delete => MethodFilter::DELETE,
        };
        router = router.route(
            route.path,
            on(method, move |State(roster): State<Roster>, req: Request| {
                compat::dispatch::dispatch(route, roster, req)
            }),
        );
    }
    if with_scim {
        router = scim::mount(router);
    }
    router
        .route("/health", get(health))
        .fallback(|| async { ApiError::not_found_route().into_response() })
        .with_state(roster)
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Runs one operation inside a span that carries the request id and the
/// operation's name; the id also goes back in `x-request-id`.
async fn dispatch(op: &'static Operation, roster: Roster, req: Request) -> Response {
    let request_id = request_id(req.headers());
    let span = tracing::info_span!("request", id = %request_id, op = op.path);
    async move {
        let started = Instant::now();
        let mut response = match run(op, roster, req).await {
            Ok(reply) => (
                reply.status,
                [(
                    axum::http::header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                reply.body,
            )
                .into_response(),
            Err(e) => {
                log_error(e.status, e.code.as_str(), e.detail.as_deref(), &e.message);
                e.into_response()
            }
        };
        tracing::debug!(
            status = response.status().as_u16(),
            micros = started.elapsed().as_micros() as u64,
            "done"
        );
        with_request_id(&mut response, &request_id);
        response
    }
    .instrument(span)
    .await
}

/// Logs an error answer: a server fault with its (never shown) detail, a
/// refusal at debug level.
pub(crate) fn log_error(status: StatusCode, code: &str, detail: Option<&str>, message: &str) {
    if status.is_server_error() {
        tracing::error!(code, detail = detail.unwrap_or(""), "request failed");
    } else {
        tracing::debug!(code, message, "request refused");
    }
}

/// Sends the request id back in `x-request-id`.
pub(crate) fn with_request_id(response: &mut Response, request_id: &str) {
    if let Ok(v) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-request-id", v);
    }
}

/// The query string's pairs, in order.
pub(crate) fn query_of(uri: &axum::http::Uri) -> Result<Vec<(String, String)>, ApiError> {
    match uri.query() {
        None => Ok(Vec::new()),
        Some(_) => Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map(|q| q.0)
            .map_err(|_| ApiError::bad_request("the query string is malformed")),
    }
}

/// The caller's request id when it is a sane token (API Gateway sends one),
/// else a new one.
pub(crate) fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|s| {
            !s.is_empty()
                && s.len() <= 64
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| roster_core::clock::next_ulid().to_string())
}

async fn run(
    op: &'static Operation,
    roster: Roster,
    req: Request,
) -> Result<crate::views::Reply, ApiError> {
    let (parts, body) = req.into_parts();
    let (caller, bearer) = if op.access.is_public() {
        (None, bearer(&parts.headers).map(str::to_string))
    } else {
        (Some(authenticate(&roster, &parts.headers).await?), None)
    };
    let query = query_of(&parts.uri)?;
    let body = read_body(body, op.body_limit).await?;
    let call = Call {
        caller,
        bearer,
        body,
        query,
        paging: op.query,
    };
    if op.query == crate::ops::Query::None {
        call.no_query()?;
    }
    (op.handler)(roster, call).await
}

pub(crate) async fn read_body(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(ApiError::too_large(limit)),
        Err(_) => Err(ApiError::bad_request("the request body could not be read")),
    }
}

pub(crate) async fn authenticate(roster: &Roster, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let token = bearer(headers)
        .ok_or_else(|| ApiError::from(Error::Unauthenticated("a bearer token is required")))?;
    Ok(roster.authenticate(token).await?)
}

/// The token of an `Authorization: Bearer <token>` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
