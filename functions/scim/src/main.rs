//! Lambda `roster-scim`: SCIM 2.0 provisioning under `/scim/v2/`, for
//! identity providers presenting an account's SCIM token (`roster_api::scim`).
//! Its IAM policy holds only what SCIM's use cases call: the table, the
//! invite mail, and disabling, enabling and deleting logins.

// The system allocator and a current-thread runtime, as the other functions
// (functions/write/src/main.rs says why).
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    roster_lambda::run(roster_api::Function::Scim).await
}
