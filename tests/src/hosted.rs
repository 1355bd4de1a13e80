//! A stand-in for the Cognito hosted UI on the embedded backend, which has no
//! user pool: a fixed test RSA key signs id tokens, and a `JwksSource` serves
//! its public half (counting fetches, and able to fail or rotate). On the AWS
//! backend the emulator's pool issues real tokens instead (see `TestApp`).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use async_trait::async_trait;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use roster_core::ports::{JwksSource, PortError};
use serde_json::{json, Value};

pub const ISSUER: &str = "https://cognito-idp.eu-test-1.amazonaws.com/eu-test-1_TestPool";
pub const CLIENT_ID: &str = "test-app-client";
pub const KID: &str = "test-key-1";

const PRIVATE_PEM: &[u8] = include_bytes!("../fixtures/hosted-ui-test-key.pem");
const PUBLIC_JWK: &str = include_str!("../fixtures/hosted-ui-test-jwk.json");

/// The test key's public half as a key set, under each of `kids`.
pub fn jwks(kids: &[&str]) -> Vec<u8> {
    let jwk: Value = serde_json::from_str(PUBLIC_JWK).unwrap();
    let keys: Vec<Value> = kids
        .iter()
        .map(|kid| {
            let mut k = jwk.clone();
            k["kid"] = json!(kid);
            k
        })
        .collect();
    serde_json::to_vec(&json!({ "keys": keys })).unwrap()
}

/// `claims` signed RS256 with the test key, naming `kid`.
pub fn sign(claims: &Value, kid: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_string());
    let key = EncodingKey::from_rsa_pem(PRIVATE_PEM).unwrap();
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The claims of a good id token, as Cognito writes them.
pub fn id_claims(sub: &str, email: &str, verified: bool) -> Value {
    json!({
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": sub,
        "token_use": "id",
        "cognito:username": sub,
        "email": email,
        "email_verified": verified,
        "iat": now(),
        "auth_time": now(),
        "exp": now() + 3600,
    })
}

/// A good id token for `sub` with `email`.
pub fn id_token(sub: &str, email: &str, verified: bool) -> String {
    sign(&id_claims(sub, email, verified), KID)
}

/// Serves a key set from memory, counting fetches.
pub struct StaticJwks {
    body: Mutex<Vec<u8>>,
    fetches: AtomicUsize,
    failing: AtomicBool,
}

impl StaticJwks {
    pub fn new(kids: &[&str]) -> StaticJwks {
        StaticJwks {
            body: Mutex::new(jwks(kids)),
            fetches: AtomicUsize::new(0),
            failing: AtomicBool::new(false),
        }
    }

    /// The pool rotated its keys: from now on the set holds these.
    pub fn rotate(&self, kids: &[&str]) {
        *self.body.lock().unwrap() = jwks(kids);
    }

    pub fn fail(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
    }

    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl JwksSource for StaticJwks {
    async fn fetch(&self) -> Result<Vec<u8>, PortError> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        if self.failing.load(Ordering::SeqCst) {
            return Err(PortError::Unavailable("the test JWKS is down".into()));
        }
        Ok(self.body.lock().unwrap().clone())
    }
}
