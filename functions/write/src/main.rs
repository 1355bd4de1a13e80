//! Lambda `roster-write`: authenticated writes (invite, updateRole, …), and
//! operator commands sent by a direct invoke (`roster_api::operator`).
//! The only function that sends mail or administers logins.

// The system allocator, not mimalloc (which the server uses): mimalloc asks
// for transparent huge pages on its arena, so a Lambda that touches ~1 MB of
// heap holds three 2 MB pages (bench/coldstart.sh: peak RSS 19.4 MB with
// mimalloc, 13.2 MB without).
//
// One event at a time per instance: a current-thread runtime starts no worker
// threads (faster cold start, less memory). The SDK and the JWKS fetch run on it too.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    roster_lambda::run(roster_api::Function::Write).await
}
