//! Calling the compatibility routes (the replaced APIs) as their clients
//! do: any method, the token in a header or in `?token=`, answers that may
//! be JSON, plain text or empty.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

use crate::app::{header, TestApp};

/// An answer of a compatibility route.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    /// The `error-code` header.
    pub error_code: Option<String>,
    pub content_type: Option<String>,
    pub text: String,
}

impl Answer {
    /// Asserts 200 and returns the JSON body.
    #[track_caller]
    pub fn json(&self) -> Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.text);
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }

    /// Asserts 200 with an empty body.
    #[track_caller]
    pub fn empty(&self) {
        assert_eq!(
            (self.status, self.text.as_str()),
            (StatusCode::OK, ""),
            "{}",
            self.text
        );
    }

    /// Asserts a refused rule: 499, `code` in the header and in the body.
    #[track_caller]
    pub fn refused(&self, code: &str) -> Value {
        assert_eq!(self.status.as_u16(), 499, "{}", self.text);
        assert_eq!(self.error_code.as_deref(), Some(code), "{}", self.text);
        let body: Value = serde_json::from_str(&self.text).unwrap();
        assert_eq!(body["errorCode"], code, "{body}");
        assert!(body["message"].is_string(), "{body}");
        body
    }
}

impl TestApp {
    /// `method uri` (with its query), a bearer token if given, a JSON body if given.
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        bearer: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = bearer {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header("content-type", "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send_request(req.body(body).unwrap()).await
    }

    pub async fn send_request(&self, req: Request<Body>) -> Answer {
        let (status, headers, bytes) =
            crate::contract::send_checked(self.router.clone(), req).await;
        let (error_code, content_type) = (
            header(&headers, "error-code"),
            header(&headers, "content-type"),
        );
        Answer {
            status,
            error_code,
            content_type,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

/// A roster id (ULID text) as the replaced APIs write it: a UUID.
pub fn uuid(id: &str) -> String {
    roster_core::domain::UserId::parse(id)
        .unwrap_or_else(|_| panic!("not an id: {id}"))
        .uuid()
}

impl TestApp {
    /// `method /usergroup/<route>?token=<who's>&<query>` with an optional body.
    pub async fn usergroup(
        &self,
        who: &crate::app::Member,
        method: &str,
        route: &str,
        query: &str,
        body: Option<Value>,
    ) -> Answer {
        let uri = format!("/usergroup/{route}?token={}&{query}", who.token);
        self.send(method, &uri, None, body).await
    }
}

/// The text at JSON pointer `at` of each row of a `DTOCollection` page.
pub fn column(page: &Value, at: &str) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .map(|row| {
            row.pointer(at)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("no {at} in {row}"))
                .to_string()
        })
        .collect()
}
