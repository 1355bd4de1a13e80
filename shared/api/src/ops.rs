//! What an operation is: its path, who may call it, its Lambda function, the
//! query string and body it takes, what it answers, and its handler. The
//! table itself is `ops/table.rs`; the router, the Lambda routers, the
//! OpenAPI document, the SAM routes and the event fixtures are all built
//! from (or checked against) that one list.

mod account;
mod group;
mod table;
mod user;

pub(crate) use account::PlanSchema;
pub use table::OPERATIONS;

use std::future::Future;
use std::pin::Pin;

use crate::error::Code;
use crate::views::Reply;
use crate::{ApiError, Call};
use roster_core::Roster;

/// Which Lambda serves an operation. Split by privilege: `read` holds no write
/// permission; `public` only what unauthenticated flows need (create a login
/// at signup, set a password from a reset link, send registration and reset
/// mails); administering other users' logins and inviting are `write`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    Public,
    Read,
    Write,
    /// SCIM provisioning (`/scim/v2/`), on its own token (`crate::scim`).
    Scim,
}

impl Function {
    pub fn name(self) -> &'static str {
        match self {
            Function::Public => "public",
            Function::Read => "read",
            Function::Write => "write",
            Function::Scim => "scim",
        }
    }
}

/// Who may call an operation. The router enforces `Public` versus
/// authenticated; the finer rules (self, admin, owner) are `core::policy`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    Member,
    /// The caller itself, or an admin for others.
    SelfOrAdmin,
    SelfOnly,
    Admin,
}

impl Access {
    pub fn is_public(self) -> bool {
        self == Access::Public
    }
}

pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<Reply, ApiError>> + Send>>;
pub type Handler = fn(Roster, Call) -> HandlerFuture;
pub type SchemaFn = fn(&mut schemars::SchemaGenerator) -> schemars::Schema;

/// What an operation takes in its query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    /// Nothing: any parameter is `BAD_REQUEST`.
    None,
    /// A page: `limit`, `next` or `prev`, and `index` (`primary` | `gs1`).
    Page,
    /// A page in its one order: `limit`, `next` or `prev`.
    OrderedPage,
}

/// A success an operation can answer: its status and its body's schema.
pub struct Answer {
    pub status: u16,
    pub schema: SchemaFn,
}

pub struct Operation {
    /// `resource/action`; served at `POST /<path>`.
    pub path: &'static str,
    pub access: Access,
    pub function: Function,
    pub query: Query,
    /// Largest request body accepted.
    pub body_limit: usize,
    /// One line for the OpenAPI document.
    pub summary: &'static str,
    /// The JSON Schema of the request body, from the type the handler parses.
    pub request: SchemaFn,
    /// Its successes, with the JSON Schema of the view each one serialises.
    pub answers: &'static [Answer],
    /// The error codes it answers besides those every operation can
    /// ([`COMMON_ERRORS`], and `UNAUTHENTICATED` unless it is public).
    pub errors: &'static [Code],
    /// What it refuses although the body fits its schema: rules no JSON
    /// Schema can state (a link that was used, a common password, …).
    pub beyond_schema: &'static [&'static str],
    pub handler: Handler,
}

/// What every operation can answer: a body that does not fit, one too
/// large, a fault, a dependency that is down.
pub const COMMON_ERRORS: [Code; 4] = [
    Code::BadRequest,
    Code::TooLarge,
    Code::Internal,
    Code::Unavailable,
];

/// What a page refuses whatever its body: a cursor is opaque, and only one
/// roster issued for this very query works.
pub const CURSOR_RULE: &str =
    "`next` and `prev` must be cursors roster issued for this query, still current (`INVALID`)";

impl Operation {
    /// What it refuses although the body fits its schema (a page's cursor
    /// rule included).
    pub fn rules_beyond_schema(&self) -> Vec<&'static str> {
        let mut rules = self.beyond_schema.to_vec();
        if self.query != Query::None {
            rules.push(CURSOR_RULE);
        }
        rules
    }

    /// Every error code the operation can answer, in the table's order.
    pub fn all_errors(&self) -> Vec<Code> {
        let mut codes: Vec<Code> = COMMON_ERRORS.to_vec();
        if !self.access.is_public() {
            codes.push(Code::Unauthenticated);
        }
        codes.extend(self.errors);
        codes.sort();
        codes.dedup();
        codes
    }
}

/// Request bodies up to 64 KiB, unless an operation says otherwise
/// (`group/import`: 1 MiB).
pub const BODY_LIMIT: usize = 64 * 1024;

/// One row of the table. The body type is what the handler parses, each
/// answer type what it serialises, so the document follows the code.
macro_rules! op {
    (
        $path:literal, $access:ident, $function:ident, $query:ident,
        $handler:path, $body:ty => [$($status:literal: $answer:ty),+ $(,)?],
        errors: [$($code:ident),* $(,)?],
        beyond: [$($beyond:literal),* $(,)?],
        $summary:literal
        $(, limit: $limit:expr)?
        $(,)?
    ) => {
        Operation {
            path: $path,
            access: Access::$access,
            function: Function::$function,
            query: Query::$query,
            body_limit: op!(@limit $($limit)?),
            summary: $summary,
            request: |generator| generator.subschema_for::<$body>(),
            answers: &[$(Answer {
                status: $status,
                schema: |generator| generator.subschema_for::<$answer>(),
            }),+],
            errors: &[$(Code::$code),*],
            beyond_schema: &[$($beyond),*],
            handler: |roster, call| Box::pin(async move { $handler(&roster, call).await }),
        }
    };
    (@limit) => { $crate::ops::BODY_LIMIT };
    (@limit $limit:expr) => { $limit };
}
pub(crate) use op;
