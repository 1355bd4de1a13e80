//! Running one compatibility route: its auth style, the body limit, the
//! request id, and its answer or its error in the replaced APIs' model.
//! The span names the route, never the URI: the local API's `?token=` never
//! reaches a log line.

use axum::extract::{Query, Request};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use roster_core::Roster;
use tracing::Instrument;

use super::{Auth, CompatError, CompatReply, Route};
use crate::ops::BODY_LIMIT;
use crate::router::{authenticate, bearer, read_body, request_id};
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
                if e.status.is_server_error() {
                    tracing::error!(
                        code = e.code,
                        detail = e.detail.as_deref().unwrap_or(""),
                        "request failed"
                    );
                } else {
                    tracing::debug!(code = e.code, message = %e.message, "request refused");
                }
                e.into_response()
            }
        };
        if let Ok(v) = HeaderValue::from_str(&request_id) {
            response.headers_mut().insert("x-request-id", v);
        }
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
    let mut query = match parts.uri.query() {
        None => Vec::new(),
        Some(_) => {
            Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
                .map_err(|_| CompatError::bad_request("the query string is malformed"))?
                .0
        }
    };
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
    let body = read_body(body, BODY_LIMIT).await?;
    let call = Call {
        caller,
        bearer: bearer(&parts.headers).map(str::to_string),
        body,
        query,
    };
    (route.handler)(roster, call).await
}
