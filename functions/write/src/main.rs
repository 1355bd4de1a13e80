//! Lambda `roster-write`: authenticated writes (invite, updateRole, …).
//! The only function that sends mail or administers logins.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let router = roster_lambda::router(roster_api::Function::Write).await?;
    lambda_http::run(router).await
}
