//! Lambda `roster-read`: authenticated reads (find, get, info, …).
//! Holds no write permission (see `infra/template.yaml`).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let router = roster_lambda::router(roster_api::Function::Read).await?;
    lambda_http::run(router).await
}
