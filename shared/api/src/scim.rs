//! SCIM 2.0 (RFC 7643 / 7644) under `/scim/v2/`: an identity provider
//! (Okta, Entra ID) provisions an account's users and groups with one of
//! its SCIM tokens (`account/scimTokenCreate`). A third surface beside the
//! native operations and the compatibility routes, with its own route
//! table ([`ROUTES`]), auth (the SCIM token, and nothing else) and error
//! model; every rule stays in `core` (`roster_core::scim`).
//!
//! - `error`: SCIM Error objects, mapped from `core::Error`.
//! - `filter`: filters and attribute paths.
//! - `patch`: PATCH applied to a resource's JSON.
//! - `list`: ListResponse paging and `attributes` / `excludedAttributes`.
//! - `users`, `groups`: the two resources.
//! - `discovery`: `ServiceProviderConfig`, `ResourceTypes`, `Schemas`.

mod discovery;
mod error;
pub mod filter;
mod groups;
mod list;
pub mod patch;
pub(crate) mod shapes;
mod users;

use std::future::Future;
use std::pin::Pin;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use roster_core::users::Caller;
use roster_core::Roster;
use serde_json::Value;
use tracing::Instrument;

pub use error::{ScimError, ERROR_SCHEMA, SCIM_JSON};

use crate::ops::SchemaFn;
use crate::router::{bearer, log_error, query_of, read_body, request_id, with_request_id};
use crate::Function;

/// Where SCIM is served.
pub const BASE: &str = "/scim/v2";
/// The API Gateway route that sends everything else under [`BASE`] to the
/// SCIM function (for its SCIM 404s and 405s), as the SAM template writes it.
pub const GATEWAY_CATCH_ALL: &str = "/scim/v2/{proxy+}";
/// The largest body read: a group PUT with every member of a large team.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// One SCIM request, as handlers see it.
pub struct ScimCall {
    pub caller: Caller,
    /// The `{id}` of the path, when it has one.
    pub id: Option<String>,
    pub query: Vec<(String, String)>,
    pub body: Bytes,
    pub if_match: Option<String>,
    /// `<public URL>/scim/v2`, for `meta.location` and `$ref`.
    pub base: String,
}

/// What a SCIM handler answers.
pub struct ScimReply {
    pub status: StatusCode,
    pub body: Option<Value>,
    pub etag: Option<String>,
    pub location: Option<String>,
}

impl ScimReply {
    pub fn json(body: Value) -> ScimReply {
        ScimReply {
            status: StatusCode::OK,
            body: Some(body),
            etag: None,
            location: None,
        }
    }

    pub fn list(body: Value) -> ScimReply {
        Self::json(body)
    }

    /// A resource, with its `ETag` (and `Location` when created).
    pub fn resource(status: StatusCode, body: Value, version: i64) -> ScimReply {
        let location = (status == StatusCode::CREATED)
            .then(|| body["meta"]["location"].as_str().map(str::to_string))
            .flatten();
        ScimReply {
            status,
            body: Some(body),
            etag: Some(etag(version)),
            location,
        }
    }

    pub fn no_content() -> ScimReply {
        ScimReply {
            status: StatusCode::NO_CONTENT,
            body: None,
            etag: None,
            location: None,
        }
    }
}

/// A version as an entity tag.
pub fn etag(version: i64) -> String {
    format!("W/\"{version}\"")
}

/// The version an `If-Match` names; `*` (or no header) names none. An
/// empty header names nothing that can match (412), as any other that is
/// no version of ours.
pub fn parse_etag(raw: Option<&str>) -> Result<Option<i64>, ScimError> {
    let Some(raw) = raw.map(str::trim).filter(|r| *r != "*") else {
        return Ok(None);
    };
    let bare = raw.strip_prefix("W/").unwrap_or(raw).trim_matches('"');
    bare.parse::<i64>().map(Some).map_err(|_| {
        ScimError::new(
            StatusCode::PRECONDITION_FAILED,
            None,
            "If-Match names no version of this resource",
        )
    })
}

pub type ScimFuture = Pin<Box<dyn Future<Output = Result<ScimReply, ScimError>> + Send>>;
pub type ScimHandler = fn(Roster, ScimCall) -> ScimFuture;

/// A SCIM method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Method::Get => MethodFilter::GET,
            Method::Post => MethodFilter::POST,
            Method::Put => MethodFilter::PUT,
            Method::Patch => MethodFilter::PATCH,
            Method::Delete => MethodFilter::DELETE,
        }
    }
}

/// The query parameters a route reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimQuery {
    None,
    /// `attributes`, `excludedAttributes`.
    Shape,
    /// `filter`, `startIndex`, `count`, and the shape.
    List,
}

pub struct Route {
    pub method: Method,
    /// The full path, `{id}` for a resource's id.
    pub path: &'static str,
    /// One line for the OpenAPI document.
    pub summary: &'static str,
    pub query: ScimQuery,
    /// The body's schema, when it takes one.
    pub body: Option<SchemaFn>,
    /// Its success's status, and its body's schema (none: no body).
    pub answer: (u16, Option<SchemaFn>),
    /// Statuses it answers besides [`COMMON_STATUSES`] (and 415 for a body).
    pub errors: &'static [u16],
    /// What it refuses although the request fits its schema.
    pub beyond: &'static [&'static str],
    pub handler: ScimHandler,
}

/// What every SCIM route can answer: a malformed or refused request, no
/// valid token, a body too large, a fault, a dependency down.
pub const COMMON_STATUSES: [u16; 5] = [400, 401, 413, 500, 503];

impl Route {
    /// Every error status it answers, in order.
    pub fn error_statuses(&self) -> Vec<u16> {
        let mut all: Vec<u16> = COMMON_STATUSES.to_vec();
        all.extend(self.errors);
        if self.body.is_some() {
            all.push(415);
        }
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// The function that serves SCIM in AWS.
pub const FUNCTION: Function = Function::Scim;

/// Rules of a user's body no schema states.
const USER_RULES: &[&str] = &[
    "a `userName` that is no e-mail address needs an address as the primary (or first) of `emails` (`invalidValue`)",
    "`roles` values are `admin`, `user` or `viewer`, in any case (`invalidValue`); `owner` is never granted (403)",
    "at most 10 `emails` and 10 `roles`, one of each primary; `userName` at most 512 bytes (`invalidValue`)",
];
const FILTER_RULE: &str = "`filter` must be a SCIM filter (RFC 7644 §3.4.2.2) (`invalidFilter`)";
const SHAPE_RULE: &str = "`attributes` and `excludedAttributes` name attributes (`invalidValue`)";
const PATCH_RULE: &str = "each path must be an attribute path, `attr[filter]` or `attr[filter].sub` (`invalidPath`, `invalidFilter`), and the outcome a valid resource";

macro_rules! route {
    (@body -) => { None };
    (@body ($t:ty)) => { Some(|g: &mut schemars::SchemaGenerator| g.subschema_for::<$t>()) };
    (@answer $status:literal -) => { ($status, None) };
    (@answer $status:literal ($t:ty)) => { ($status, Some(|g: &mut schemars::SchemaGenerator| g.subschema_for::<$t>())) };
    (
        $method:ident $path:literal, $handler:path,
        query: $query:ident, body: $body:tt, answer: $status:literal $answer:tt,
        errors: [$($e:literal),* $(,)?], beyond: [$($b:expr),* $(,)?],
        $summary:literal
    ) => {
        Route {
            method: Method::$method,
            path: $path,
            summary: $summary,
            query: ScimQuery::$query,
            body: route!(@body $body),
            answer: route!(@answer $status $answer),
            errors: &[$($e),*],
            beyond: &[$($b),*],
            handler: |roster, call| Box::pin(async move { $handler(&roster, call).await }),
        }
    };
}

use shapes as s;

/// Every SCIM route. Anything else under `/scim/v2/` is a SCIM 404.
pub static ROUTES: &[Route] = &[
    route!(Get "/scim/v2/ServiceProviderConfig", discovery::service_provider_config,
        query: None, body: -, answer: 200 (s::Discovery), errors: [], beyond: [],
        "What this SCIM service supports"),
    route!(Get "/scim/v2/ResourceTypes", discovery::resource_types,
        query: None, body: -, answer: 200 (s::DiscoveryList), errors: [], beyond: [],
        "The resource types: User and Group"),
    route!(Get "/scim/v2/ResourceTypes/{id}", discovery::resource_type,
        query: None, body: -, answer: 200 (s::Discovery), errors: [404], beyond: [],
        "One resource type: `User` or `Group`"),
    route!(Get "/scim/v2/Schemas", discovery::schemas,
        query: None, body: -, answer: 200 (s::DiscoveryList), errors: [], beyond: [],
        "The schemas, with only the attributes roster stores"),
    route!(Get "/scim/v2/Schemas/{id}", discovery::schema,
        query: None, body: -, answer: 200 (s::Discovery), errors: [404], beyond: [],
        "One schema, by its URN"),
    route!(Post "/scim/v2/.search", discovery::root_search,
        query: None, body: (s::SearchRequest), answer: 200 (s::ResourceList), errors: [], beyond: [FILTER_RULE, SHAPE_RULE],
        "Lists or filters users, then groups (a SearchRequest body)"),
    route!(Get "/scim/v2/Users", users::list,
        query: List, body: -, answer: 200 (s::UserList), errors: [], beyond: [FILTER_RULE, SHAPE_RULE],
        "Lists or filters the account's users, in creation order"),
    route!(Post "/scim/v2/Users", users::create,
        query: None, body: (s::UserIn), answer: 201 (s::User), errors: [403, 409], beyond: [USER_RULES[0], USER_RULES[1], USER_RULES[2], "the plan must have a seat for the role (409)"],
        "Creates a pending user, invited by mail unless created inactive"),
    route!(Post "/scim/v2/Users/.search", users::dot_search,
        query: None, body: (s::SearchRequest), answer: 200 (s::UserList), errors: [], beyond: [FILTER_RULE, SHAPE_RULE],
        "Lists or filters the account's users (a SearchRequest body)"),
    route!(Get "/scim/v2/Users/{id}", users::get,
        query: Shape, body: -, answer: 200 (s::User), errors: [404], beyond: [SHAPE_RULE],
        "Reads a user"),
    route!(Put "/scim/v2/Users/{id}", users::replace,
        query: Shape, body: (s::UserIn), answer: 200 (s::User), errors: [403, 404, 409, 412], beyond: [USER_RULES[0], USER_RULES[1], USER_RULES[2], "the e-mail of a user who signed up is fixed (`mutability`)", SHAPE_RULE],
        "Replaces a user"),
    route!(Patch "/scim/v2/Users/{id}", users::patch,
        query: Shape, body: (s::PatchOp), answer: 200 (s::User), errors: [403, 404, 409, 412], beyond: [PATCH_RULE, USER_RULES[0], USER_RULES[1], SHAPE_RULE],
        "Changes a user"),
    route!(Delete "/scim/v2/Users/{id}", users::delete,
        query: None, body: -, answer: 204 -, errors: [403, 404, 409, 412], beyond: [],
        "Removes a user"),
    route!(Get "/scim/v2/Groups", groups::list,
        query: List, body: -, answer: 200 (s::GroupList), errors: [], beyond: [FILTER_RULE, SHAPE_RULE],
        "Lists or filters the account's groups, in name order"),
    route!(Post "/scim/v2/Groups", groups::create,
        query: None, body: (s::GroupIn), answer: 201 (s::Group), errors: [409], beyond: ["members must be users of the account (`invalidValue`)", "the plan must have room for a group (409)"],
        "Creates a group, with its members"),
    route!(Post "/scim/v2/Groups/.search", groups::dot_search,
        query: None, body: (s::SearchRequest), answer: 200 (s::GroupList), errors: [], beyond: [FILTER_RULE, SHAPE_RULE],
        "Lists or filters the account's groups (a SearchRequest body)"),
    route!(Get "/scim/v2/Groups/{id}", groups::get,
        query: Shape, body: -, answer: 200 (s::Group), errors: [404], beyond: [SHAPE_RULE],
        "Reads a group"),
    route!(Put "/scim/v2/Groups/{id}", groups::replace,
        query: Shape, body: (s::GroupIn), answer: 200 (s::Group), errors: [404, 409, 412], beyond: ["members must be users of the account (`invalidValue`)", SHAPE_RULE],
        "Replaces a group and its members"),
    route!(Patch "/scim/v2/Groups/{id}", groups::patch,
        query: None, body: (s::PatchOp), answer: 204 -, errors: [404, 409, 412], beyond: [PATCH_RULE, "members must be users of the account (`invalidValue`)"],
        "Changes a group or its members"),
    route!(Delete "/scim/v2/Groups/{id}", groups::delete,
        query: None, body: -, answer: 204 -, errors: [404, 409, 412], beyond: [],
        "Removes a group"),
];

/// The SCIM routes on `router`, and the SCIM 404 for anything else under
/// `/scim/v2/`.
pub fn mount(mut router: Router<Roster>) -> Router<Roster> {
    let mut paths: Vec<&'static str> = ROUTES.iter().map(|r| r.path).collect();
    paths.sort_unstable();
    paths.dedup();
    for path in paths {
        let mut methods: MethodRouter<Roster> = MethodRouter::new();
        let mut allowed = Vec::new();
        for route in ROUTES.iter().filter(|r| r.path == path) {
            methods = methods.on(
                route.method.filter(),
                move |State(roster): State<Roster>, req: Request| dispatch(route, roster, req),
            );
            allowed.push(route.method.as_str());
        }
        let allow = allowed.join(", ");
        router = router.route(path, methods.fallback(move || not_allowed(allow.clone())));
    }
    router
        .route(BASE, on(MethodFilter::GET, not_found))
        .route(&format!("{BASE}/{{*rest}}"), axum::routing::any(not_found))
}

async fn not_found() -> Response {
    ScimError::not_found("no such SCIM resource").into_response()
}

async fn not_allowed(allow: String) -> Response {
    let mut response = ScimError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        format!("this path serves {allow}"),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&allow) {
        response.headers_mut().insert(header::ALLOW, v);
    }
    response
}

async fn dispatch(route: &'static Route, roster: Roster, req: Request) -> Response {
    let request_id = request_id(req.headers());
    let span = tracing::info_span!(
        "request",
        id = %request_id,
        method = route.method.as_str(),
        route = route.path
    );
    async move {
        let mut response = match run(route, roster, req).await {
            Ok(reply) => respond(reply),
            Err(e) => {
                log_error(
                    e.status,
                    e.scim_type.unwrap_or("scim"),
                    e.log.as_deref(),
                    &e.detail,
                );
                e.into_response()
            }
        };
        with_request_id(&mut response, &request_id);
        response
    }
    .instrument(span)
    .await
}

fn respond(reply: ScimReply) -> Response {
    let mut response = match reply.body {
        Some(body) => (
            reply.status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON))],
            body.to_string(),
        )
            .into_response(),
        None => reply.status.into_response(),
    };
    let headers = response.headers_mut();
    if let Some(tag) = reply.etag.and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers.insert(header::ETAG, tag);
    }
    if let Some(at) = reply.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, at);
    }
    response
}

/// SCIM bodies are JSON: `application/scim+json`, `application/json`, or
/// no type at all (some clients send none).
fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<(), ScimError> {
    let Some(ct) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
    let essence = ct.split(';').next().unwrap_or("").trim();
    if body.is_empty() || essence == SCIM_JSON || essence == "application/json" {
        Ok(())
    } else {
        Err(ScimError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
            "send application/scim+json",
        ))
    }
}

async fn run(route: &'static Route, roster: Roster, req: Request) -> Result<ScimReply, ScimError> {
    let (mut parts, body) = req.into_parts();
    let token = bearer(&parts.headers).ok_or_else(|| {
        ScimError::new(
            StatusCode::UNAUTHORIZED,
            None,
            "a SCIM bearer token is required",
        )
    })?;
    let caller = roster.authenticate_scim(token).await?;
    let id = match Path::<String>::from_request_parts(&mut parts, &roster).await {
        Ok(Path(id)) => Some(id),
        Err(_) => None,
    };
    let query = query_of(&parts.uri)?;
    let body = read_body(body, BODY_LIMIT).await?;
    json_body(&parts.headers, &body)?;
    let if_match = parts
        .headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let call = ScimCall {
        caller,
        id,
        query,
        body,
        if_match,
        base: format!("{}{BASE}", roster.settings.public_url),
    };
    (route.handler)(roster, call).await
}
