//! `roster-server`: every operation in one process, on the embedded store by
//! default. `cargo run --release -- --owner-email … --owner-password …`.

#[cfg(feature = "aws")]
mod aws;
mod config;

/// Requests allocate many small JSON values; mimalloc serves them several
/// times faster than the system allocator (see bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;
use roster_core::{Roster, Settings};
use tokio::net::TcpListener;

use config::{Backend, Config};

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    if config.print_openapi {
        println!("{}", roster_api::openapi::json());
        return ExitCode::SUCCESS;
    }
    if config.print_routes {
        println!("{}", roster_api::deploy::json());
        return ExitCode::SUCCESS;
    }
    if config.print_signing_key {
        return match roster_core::auth::Keys::generate_secret() {
            Ok(key) => {
                println!("{}", roster_core::crypto::b64(&key));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    // Colours for a person at a terminal; plain text in a file or a pipe.
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    tracing_subscriber::fmt()
        .with_ansi(terminal)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&config.log)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let roster = build(&config).await?;
    first_run(&roster, &config).await?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    tracing::info!(
        "roster listening on http://{} (backend {:?}, data {})",
        config.listen,
        config.backend,
        config.data_dir.display()
    );
    axum::serve(listener, roster_api::router(roster))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("server failed: {e}"))?;
    tracing::info!("stopped");
    Ok(())
}

async fn build(config: &Config) -> Result<Roster, String> {
    let settings = Settings {
        public_url: config.public_url(),
        open_registration: config.open_registration,
        registration_plan: config.registration_plan.clone(),
        mfa_issuer: config.mfa_issuer.clone(),
        audit_days: config.audit_days,
        invite_ttl_ms: config.invite_ttl,
    };
    match config.backend {
        Backend::Embedded => roster_embedded::open(&config.data_dir, settings, &config.mail_from),
        #[cfg(feature = "aws")]
        Backend::Aws => aws::build(config, settings).await,
        #[cfg(not(feature = "aws"))]
        Backend::Aws => Err("this roster-server was built without the `aws` feature; \
                             rebuild with `--features aws`"
            .into()),
    }
}

/// Creates the first account from the owner flags, once; without them on an
/// empty store, says how.
async fn first_run(roster: &Roster, config: &Config) -> Result<(), String> {
    if let (Some(email), Some(password)) = (&config.owner_email, &config.owner_password) {
        let created = roster
            .bootstrap(&config.account_name, &config.plan, email, password)
            .await
            .map_err(|e| format!("cannot create the first owner: {e}"))?;
        if let Some((user, account)) = created {
            tracing::info!(
                owner = %user.email,
                account = %account.name,
                "created the first account and its owner"
            );
        }
        return Ok(());
    }
    let ready = roster
        .is_bootstrapped()
        .await
        .map_err(|e| format!("cannot read the store: {e}"))?;
    if !ready && !config.open_registration {
        tracing::warn!(
            "this store has no account yet, and nobody can create one. Restart with \
             --owner-email you@example.com --owner-password '<10+ characters>' \
             [--account-name 'My team'] to create the first owner, or with \
             --open-registration to let anyone register"
        );
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
