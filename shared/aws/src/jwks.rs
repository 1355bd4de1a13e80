//! `JwksSource` over HTTPS: the user pool's `/.well-known/jwks.json`.
//!
//! Fetched with the hyper/rustls stack the SDK already links, trusting
//! Amazon's roots only (the real endpoint is `cognito-idp.<region>.amazonaws.com`);
//! plain `http://` is allowed for emulators. One fetch has 5 s and 64 KiB.
//! The client is built on the first fetch, not at cold start: only logins
//! with a hosted-UI token ever need it.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use roster_core::ports::{JwksSource, PortError};

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

pub struct HttpJwks {
    url: hyper::Uri,
    client: OnceLock<Client<Https, Empty<Bytes>>>,
}

const TIMEOUT: Duration = Duration::from_secs(5);
const MAX_BYTES: usize = 64 * 1024;

impl HttpJwks {
    pub fn new(url: &str) -> Result<HttpJwks, String> {
        let url: hyper::Uri = url
            .parse()
            .map_err(|e| format!("the JWKS URL `{url}`: {e}"))?;
        Ok(HttpJwks {
            url,
            client: OnceLock::new(),
        })
    }

    fn client(&self) -> Result<&Client<Https, Empty<Bytes>>, PortError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = build_client().map_err(PortError::Internal)?;
        Ok(self.client.get_or_init(|| client))
    }
}

fn build_client() -> Result<Client<Https, Empty<Bytes>>, String> {
    {
        let mut roots = rustls::RootCertStore::empty();
        let pem = include_bytes!("amazon-roots.pem").as_slice();
        use rustls::pki_types::pem::PemObject;
        let certs = rustls::pki_types::CertificateDer::pem_slice_iter(pem).filter_map(Result::ok);
        roots.add_parsable_certificates(certs);
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS for the JWKS fetch: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Client::builder(TokioExecutor::new()).build(https))
    }
}

#[async_trait]
impl JwksSource for HttpJwks {
    async fn fetch(&self) -> Result<Vec<u8>, PortError> {
        let get = async {
            let response = self
                .client()?
                .get(self.url.clone())
                .await
                .map_err(|e| PortError::Unavailable(format!("GET {}: {e}", self.url)))?;
            if !response.status().is_success() {
                return Err(PortError::Unavailable(format!(
                    "GET {}: {}",
                    self.url,
                    response.status()
                )));
            }
            let body = Limited::new(response.into_body(), MAX_BYTES)
                .collect()
                .await
                .map_err(|e| PortError::Unavailable(format!("GET {}: {e}", self.url)))?;
            Ok(body.to_bytes().to_vec())
        };
        tokio::time::timeout(TIMEOUT, get)
            .await
            .map_err(|_| PortError::Unavailable(format!("GET {}: timed out", self.url)))?
    }
}
