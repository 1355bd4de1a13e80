//! The APIs roster replaces (DESIGN §4b): the hosted REST API under
//! `/api/v1/user/*` (bearer token) and the desktop agent's local API under
//! `/user/*` and `/usergroup/*` (the access token in `?token=`, which never
//! reaches a log line: spans name the route, never the URI).
//!
//! A second route table beside [`crate::OPERATIONS`] (`compat/table.rs`):
//! each route names its method, path, auth style, the native operation
//! whose core use case it calls, its Lambda function, and the types of its
//! query, body and answer. The routers, the OpenAPI document, the SAM
//! template's routes and the event fixtures are built or checked from it as
//! for native operations. Handlers only translate shapes: every rule stays
//! in `core`.
//!
//! - `dispatch`: running a route (auth style, body, request id, errors).
//! - `error`: their error model (499 with an `error-code` header).
//! - `shapes`: their objects and the mappings (user types, statuses, plans).
//! - `offset`: their offset paging, sorting and query parameters.
//! - `me`: what a signed-in user does to itself and reads of its account.
//! - `signup`: following an invite.
//! - `users`: an admin inviting, editing and removing the account's users.
//! - `user_list`: listing users (with details, with removed ones).
//! - `groups`: the local API's user groups.
//! - `assign`: the local API's assignments and import.

mod assign;
pub(crate) mod dispatch;
mod error;
mod groups;
mod me;
mod offset;
mod shapes;
mod signup;
mod table;
mod user_list;
mod users;

pub use table::ROUTES;

use std::future::Future;
use std::pin::Pin;

use axum::body::Bytes;
use roster_core::Roster;

pub use error::{compat_code, CompatError, CompatErrorBody};

use crate::error::Code;
use crate::ops::SchemaFn;
use crate::{Call, Function};

/// An HTTP method a route answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// How a route's caller proves who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Public,
    /// `Authorization: Bearer <access token>` (the hosted API).
    Bearer,
    /// `?token=<access token>` (the local API).
    QueryToken,
}

/// What a compatibility handler answers.
pub enum CompatReply {
    Json(Bytes),
    /// `text/plain` (the bare MFA secret).
    Text(String),
    /// 200 with an empty body.
    Empty,
}

impl CompatReply {
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<CompatReply, CompatError> {
        serde_json::to_vec(value)
            .map(|v| CompatReply::Json(v.into()))
            .map_err(|e| roster_core::Error::internal("serialising a reply", e).into())
    }
}

pub type CompatFuture = Pin<Box<dyn Future<Output = Result<CompatReply, CompatError>> + Send>>;
pub type CompatHandler = fn(Roster, Call) -> CompatFuture;

/// What a route answers on success.
pub enum Answer {
    /// JSON, of the view type whose schema this is.
    Json(SchemaFn),
    /// `text/plain`.
    Text,
    /// 200 with an empty body.
    Empty,
}

pub struct Route {
    pub method: Method,
    /// The full path, e.g. `/api/v1/user/userinfo`.
    pub path: &'static str,
    pub auth: Auth,
    /// The native operation whose core use case the route calls.
    pub uses: &'static str,
    pub function: Function,
    /// One line for the OpenAPI document.
    pub summary: &'static str,
    /// The query parameters, as the properties of this type's schema (a
    /// `QueryToken` route's `token` is its security scheme, not listed).
    pub query: Option<SchemaFn>,
    /// The JSON body, from the type the handler parses.
    pub body: Option<SchemaFn>,
    pub answer: Answer,
    /// Error codes of native operations it calls besides `uses`'s.
    pub also: &'static [Code],
    pub handler: CompatHandler,
}

impl Route {
    /// Every status and code the route can answer besides its success:
    /// those of the native operation it uses (and of `also`), as their
    /// error model writes them.
    pub fn errors(&self) -> Vec<(u16, &'static str)> {
        let native = crate::OPERATIONS.iter().find(|op| op.path == self.uses);
        let mut codes: Vec<Code> = native.map(|op| op.all_errors()).unwrap_or_default();
        codes.extend(self.also);
        codes.push(Code::Invalid); // their own parameters
        if self.auth != Auth::Public {
            codes.push(Code::Unauthenticated);
        }
        let mut out: Vec<(u16, &'static str)> = codes.into_iter().map(compat_code).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// One row of [`ROUTES`]: the types name what the handler parses and
/// answers, so the document follows the code.
macro_rules! route {
    (@schema -) => { None };
    (@schema ($t:ty)) => { Some(|generator: &mut schemars::SchemaGenerator| generator.subschema_for::<$t>()) };
    (@answer json $t:ty) => { Answer::Json(|generator| generator.subschema_for::<$t>()) };
    (@answer text) => { Answer::Text };
    (@answer empty) => { Answer::Empty };
    (
        $method:ident, $path:literal, $auth:ident, $uses:literal, $function:ident, $handler:path,
        query: $query:tt, body: $body:tt, answer: $kind:ident $($answer:ty)?,
        also: [$($code:ident),* $(,)?],
        $summary:literal $(,)?
    ) => {
        Route {
            method: Method::$method,
            path: $path,
            auth: Auth::$auth,
            uses: $uses,
            function: Function::$function,
            summary: $summary,
            query: route!(@schema $query),
            body: route!(@schema $body),
            answer: route!(@answer $kind $($answer)?),
            also: &[$(Code::$code),*],
            handler: |roster, call| Box::pin(async move { $handler(&roster, call).await }),
        }
    };
}
pub(crate) use route;
