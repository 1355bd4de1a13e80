//! Lambda `roster-public`: unauthenticated operations (login, refresh, signup, …).
//! Reserved concurrency caps what the internet can make it cost.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let router = roster_lambda::router(roster_api::Function::Public).await?;
    lambda_http::run(router).await
}
