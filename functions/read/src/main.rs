//! Lambda `roster-read`: authenticated reads (find, get, info, …).
//! Holds no write permission (see `infra/template.yaml`).

// The system allocator, not mimalloc (which the server uses): mimalloc asks
// for transparent huge pages on its arena, so a Lambda that touches ~1 MB of
// heap holds three 2 MB pages (bench/coldstart.sh: peak RSS 19.4 MB with
// mimalloc, 13.2 MB without).
//
// One event at a time per instance: a current-thread runtime starts no worker
// threads (faster cold start, less memory). The SDK and the JWKS fetch run on it too.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    roster_lambda::run(roster_api::Function::Read).await
}
