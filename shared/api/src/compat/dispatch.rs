//! Running one compatibility route: its auth style, the body limit, the
//! request id, and its answer or its error in the replaced APIs' model.
//! The span names the route, never the URI: the local API's `?token=` never
//! reaches a log line.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use roster_core::Roster;
use tracing::Instrument;

use super::{Auth, CompatError, CompatReply, Route};
use crate::ops::BODY_LIMIT;
use crate::router::{
    authenticate, bearer, log_error, query_of, read_body, request_id, with_request_id,
};
use crate::Call;

pub async fn dispatch(route: &'static Route, roster: Roster, req: Request) -> Response {
    let request_id = request_id(req.headers());
    let span = tracing::info_span!(
        "request",
        id = %request_id,
        method = route.method.as_str(),
        route = route.path
    );
    async move {
        let mut response = match run(route, roster, req).await {
            Ok(CompatReply::Json(body)) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Ok(CompatReply::Text(text)) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                )],
                text,
            )
                .into_response(),
            Ok(CompatReply::Empty) => ().into_response(),
            Err(e) => {
                log_error(e.status, e.code, e.detail.as_deref(), &e.message);
                e.into_response()
            }
        };
        with_request_id(&mut response, &request_id);
        response
    }
    .instrument(span)
    .await
}

async fn run(
    route: &'static Route,
    roster: Roster,
    req: Request,
) -> Result<CompatReply, CompatError> {
    let (parts, body) = req.into_parts();
    let mut query = query_of(&parts.uri)?;
    let caller = match route.auth {
        Auth::Public => None,
        Auth::Bearer => Some(authenticate(&roster, &parts.headers).await?),
        Auth::QueryToken => {
            let at = query.iter().position(|(name, _)| name == "token");
            let token = at.map(|i| query.remove(i).1).unwrap_or_default();
            if token.is_empty() {
                return Err(roster_core::Error::Unauthenticated("a token is required").into());
            }
            Some(roster.authenticate(&token).await?)
        }
    };
    // The body limit of the native operation the route calls.
    let limit = crate::OPERATIONS
        .iter()
        .find(|op| op.path == route.uses)
        .map_or(BODY_LIMIT, |op| op.body_limit);
    let body = read_body(body, limit).await?;
    let call = Call {
        caller,
        bearer: bearer(&parts.headers).map(str::to_string),
        body,
        query,
        // Their paging is their own (`offset`).
        paging: crate::ops::Query::None,
    };
    (route.handler)(roster, call).await
}
