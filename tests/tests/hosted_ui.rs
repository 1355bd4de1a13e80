//! The hosted-UI id token check (`HostedUi`): each claim it must check, and
//! how it fetches, caches and refreshes the pool's key set. Backend-free: a
//! test key signs the tokens, an in-memory source serves its JWKS.

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::{EncodingKey, Header};
use roster_core::auth::{HostedIdentity, HostedUi};
use roster_core::Error;
use roster_tests::hosted::{self, id_claims, id_token, sign, StaticJwks, CLIENT_ID, ISSUER, KID};
use serde_json::json;

fn verifier(jwks: &Arc<StaticJwks>) -> HostedUi {
    HostedUi::new(ISSUER, CLIENT_ID, jwks.clone())
}

#[track_caller]
fn refused(result: Result<HostedIdentity, Error>) {
    match result {
        Err(Error::Unauthenticated(_)) => {}
        other => panic!("expected UNAUTHENTICATED, got {other:?}"),
    }
}

#[tokio::test]
async fn a_good_id_token_names_the_identity() {
    let jwks = Arc::new(StaticJwks::new(&[KID]));
    let ui = verifier(&jwks);
    let who = ui
        .verify(&id_token("sub-1", "ann@example.com", true))
        .await
        .unwrap();
    assert_eq!(
        who,
        HostedIdentity {
            subject: "sub-1".into(),
            email: "ann@example.com".into(),
            email_verified: true,
        }
    );
    // Some providers map email_verified as a string.
    let mut claims = id_claims("sub-2", "bo@example.com", false);
    claims["email_verified"] = json!("true");
    assert!(ui.verify(&sign(&claims, KID)).await.unwrap().email_verified);
    claims["email_verified"] = json!("false");
    assert!(!ui.verify(&sign(&claims, KID)).await.unwrap().email_verified);
}

#[tokio::test]
async fn each_claim_is_checked() {
    let jwks = Arc::new(StaticJwks::new(&[KID]));
    let ui = verifier(&jwks);
    let good = id_claims("sub-1", "ann@example.com", true);
    let with = |field: &str, value: serde_json::Value| {
        let mut c = good.clone();
        c[field] = value;
        sign(&c, KID)
    };
    let without = |field: &str| {
        let mut c = good.clone();
        c.as_object_mut().unwrap().remove(field);
        sign(&c, KID)
    };
    // Another pool's tokens.
    refused(
        ui.verify(&with(
            "iss",
            json!("https://cognito-idp.eu-test-1.amazonaws.com/other"),
        ))
        .await,
    );
    // Another app client's.
    refused(ui.verify(&with("aud", json!("another-client"))).await);
    // An access token, not an id token.
    refused(ui.verify(&with("token_use", json!("access"))).await);
    // Expired (beyond the 60 s leeway).
    refused(ui.verify(&with("exp", json!(hosted::now() - 120))).await);
    refused(ui.verify(&without("exp")).await);
    refused(ui.verify(&without("sub")).await);
    refused(ui.verify(&without("email")).await);
    refused(ui.verify(&without("iss")).await);
    refused(ui.verify(&without("aud")).await);
    // The signature covers the claims: an edited payload fails.
    let token = id_token("sub-1", "ann@example.com", true);
    let parts: Vec<&str> = token.split('.').collect();
    let other = id_token("sub-2", "eve@example.com", true);
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        other.split('.').nth(1).unwrap(),
        parts[2]
    );
    refused(ui.verify(&forged).await);
    refused(ui.verify("not a token").await);
    // The sanity of the control: the unedited token passes.
    ui.verify(&token).await.unwrap();
}

#[tokio::test]
async fn only_rs256_signatures_of_the_pool_keys_count() {
    let jwks = Arc::new(StaticJwks::new(&[KID]));
    let ui = verifier(&jwks);
    let claims = id_claims("sub-1", "ann@example.com", true);
    // HS256 with some secret (the classic key-confusion attempt).
    let mut header = Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(KID.into());
    let hs = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(b"secret")).unwrap();
    refused(ui.verify(&hs).await);
    // No kid at all.
    let no_kid = jsonwebtoken::encode(
        &Header::new(jsonwebtoken::Algorithm::RS256),
        &claims,
        &EncodingKey::from_rsa_pem(include_bytes!("../fixtures/hosted-ui-test-key.pem")).unwrap(),
    )
    .unwrap();
    refused(ui.verify(&no_kid).await);
    // `alg: none`.
    let b64 = |v: serde_json::Value| roster_core::crypto::b64(v.to_string().as_bytes());
    let none = format!(
        "{}.{}.",
        b64(json!({"alg": "none", "kid": KID})),
        b64(claims)
    );
    refused(ui.verify(&none).await);
}

#[tokio::test]
async fn the_key_set_is_fetched_once_and_cached() {
    let jwks = Arc::new(StaticJwks::new(&[KID]));
    let ui = verifier(&jwks);
    assert_eq!(jwks.fetches(), 0, "nothing is fetched before a token comes");
    for i in 0..5 {
        ui.verify(&id_token(&format!("sub-{i}"), "ann@example.com", true))
            .await
            .unwrap();
    }
    assert_eq!(jwks.fetches(), 1);
}

#[tokio::test]
async fn an_unknown_kid_refreshes_the_key_set() {
    let jwks = Arc::new(StaticJwks::new(&[KID]));
    let ui = verifier(&jwks).with_min_refresh(Duration::ZERO);
    ui.verify(&id_token("sub-1", "ann@example.com", true))
        .await
        .unwrap();
    // The pool rotates to a new key.
    jwks.rotate(&["rotated-key"]);
    let claims = id_claims("sub-1", "ann@example.com", true);
    ui.verify(&sign(&claims, "rotated-key")).await.unwrap();
    assert_eq!(jwks.fetches(), 2);
    // A kid the pool does not have is refused after its one refetch.
    refused(ui.verify(&sign(&claims, "no-such-key")).await);
    assert_eq!(jwks.fetches(), 3);
}

#[tokio::test]
async fn unknown_kids_refetch_at_most_once_per_interval() {
    let jwks = Arc::new(StaticJwks::new(&[KID]));
    let ui = verifier(&jwks); // the default: a minute between fetches
    ui.verify(&id_token("sub-1", "ann@example.com", true))
        .await
        .unwrap();
    let claims = id_claims("sub-1", "ann@example.com", true);
    for i in 0..20 {
        refused(ui.verify(&sign(&claims, &format!("random-{i}"))).await);
    }
    assert_eq!(jwks.fetches(), 1, "random kids must not trigger fetches");
    // Known keys still pass meanwhile.
    ui.verify(&id_token("sub-1", "ann@example.com", true))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_key_set_that_cannot_be_fetched_is_unavailable_not_refused() {
    let jwks = Arc::new(StaticJwks::new(&[KID]));
    let ui = verifier(&jwks);
    jwks.fail(true);
    let token = id_token("sub-1", "ann@example.com", true);
    match ui.verify(&token).await {
        Err(Error::Unavailable(_)) => {}
        other => panic!("expected UNAVAILABLE, got {other:?}"),
    }
    // A failed fetch doesn't count against the interval: the next try fetches.
    jwks.fail(false);
    ui.verify(&token).await.unwrap();
    assert_eq!(jwks.fetches(), 2);
}
