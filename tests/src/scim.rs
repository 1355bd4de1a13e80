//! Calling `/scim/v2/` as an identity provider does: a SCIM token, any
//! method, `application/scim+json` both ways. Every exchange is held to
//! the OpenAPI document (`contract`).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

use crate::app::{header, TestApp};

/// An answer of a SCIM route.
#[derive(Debug, Clone)]
pub struct ScimAnswer {
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub location: Option<String>,
    pub body: Value,
    pub text: String,
}

impl ScimAnswer {
    /// Asserts `status` and returns the body.
    #[track_caller]
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        if status != 204 {
            assert_eq!(
                self.content_type.as_deref(),
                Some("application/scim+json"),
                "{}",
                self.text
            );
        }
        self.body.clone()
    }

    /// Asserts a SCIM Error with `status` and `scim_type` (`None`: none).
    #[track_caller]
    pub fn error(&self, status: u16, scim_type: Option<&str>) -> Value {
        let body = self.expect(status);
        assert_eq!(
            body["schemas"],
            json!(["urn:ietf:params:scim:api:messages:2.0:Error"]),
            "{body}"
        );
        assert_eq!(body["status"], status.to_string(), "{body}");
        assert_eq!(body["scimType"].as_str(), scim_type, "{body}");
        assert!(body["detail"].is_string(), "{body}");
        body
    }
}

impl TestApp {
    /// A SCIM token for the owner's account.
    pub async fn scim_token(&self) -> String {
        let made = self
            .as_owner("account/scimTokenCreate", json!({"name": "Okta"}))
            .await
            .ok();
        made["secret"].as_str().unwrap().to_string()
    }

    /// `method /scim/v2<path>` with `token` and, if given, a JSON body.
    pub async fn scim(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> ScimAnswer {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("/scim/v2{path}"))
            .header("authorization", format!("Bearer {token}"));
        let body = match body {
            Some(v) => {
                req = req.header("content-type", "application/scim+json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.scim_request(req.body(body).unwrap()).await
    }

    pub async fn scim_request(&self, req: Request<Body>) -> ScimAnswer {
        let (status, headers, bytes) = crate::contract::send_checked(self.router(), req).await;
        let content_type = header(&headers, "content-type");
        let etag = header(&headers, "etag");
        let location = header(&headers, "location");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"))
        };
        ScimAnswer {
            status,
            content_type,
            etag,
            location,
            body,
            text,
        }
    }
}

/// A User resource as Okta creates one.
pub fn okta_user(email: &str, first: &str, last: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "name": {"givenName": first, "familyName": last},
        "emails": [{"primary": true, "value": email, "type": "work"}],
        "displayName": format!("{first} {last}"),
        "locale": "en-US",
        "externalId": format!("00u{}", first.to_lowercase()),
        "groups": [],
        "password": "1mz050nq",
        "active": true,
    })
}

/// `{schemas: [PatchOp], Operations: ops}`.
pub fn patch_op(ops: Value) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": ops,
    })
}
