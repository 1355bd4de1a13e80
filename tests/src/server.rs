//! The real `roster-server` binary, started on a free loopback port and
//! driven over HTTP, as a user would.
//!
//! Its tests live in `functions/server/tests/`, so cargo builds the binary
//! itself, with the features of the test run (`CARGO_BIN_EXE_roster-server`),
//! and hands its path to [`Server::start`].

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::app::Backend;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub data_dir: PathBuf,
    /// The sender of this server's mail (AWS backend: unique to its table).
    mail_from: String,
    agent: ureq::Agent,
}

/// With `ROSTER_TEST_BACKEND=aws`: the flags that put a server on the
/// emulator, with a table (and pool, and sender) of its own per data folder,
/// kept across restarts.
fn backend_flags(data_dir: &Path) -> (Vec<String>, String) {
    if Backend::current() != Backend::Aws {
        return (Vec::new(), crate::aws::MAIL_FROM.into());
    }
    assert!(
        crate::aws::endpoint().is_some(),
        "the AWS backend needs the emulator"
    );
    let file = data_dir.join("test-table");
    let table = std::fs::read_to_string(&file).unwrap_or_else(|_| {
        let name = format!(
            "srv-{}",
            roster_core::clock::next_ulid().to_string().to_lowercase()
        );
        std::fs::create_dir_all(data_dir).unwrap();
        std::fs::write(&file, &name).unwrap();
        name
    });
    let from = format!("{table}@roster.test");
    let flags = [
        "--backend",
        "aws",
        "--provision",
        "--table",
        &table,
        "--mail-from",
        &from,
    ];
    (flags.iter().map(|s| s.to_string()).collect(), from)
}

impl Server {
    /// Starts the server `bin` on `data_dir` with extra flags; waits until
    /// `/health` answers.
    pub fn start(bin: &str, data_dir: &Path, args: &[&str]) -> Server {
        let port = free_port();
        let (flags, mail_from) = backend_flags(data_dir);
        let base = format!("http://127.0.0.1:{port}");
        let child = Command::new(bin)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--public-url")
            .arg("http://roster.test")
            .args(args)
            .args(&flags)
            .env("ROSTER_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start roster-server");
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(10))
            .build();
        let server = Server {
            child: Some(child),
            base,
            data_dir: data_dir.to_path_buf(),
            mail_from,
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if server
                .agent
                .get(&format!("{}/health", server.base))
                .call()
                .is_ok()
            {
                return server;
            }
            assert!(Instant::now() < deadline, "roster-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// AWS backend: an id token of this server's user pool (which
    /// `--provision` found or made by the table's name) for the pool user
    /// `username` with a verified `email`. `None` on the embedded backend,
    /// which has no pool.
    pub fn hosted_token(&self, username: &str, email: &str) -> Option<String> {
        if Backend::current() != Backend::Aws {
            return None;
        }
        let table = std::fs::read_to_string(self.data_dir.join("test-table")).unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        Some(runtime.block_on(async {
            let sdk = roster_aws::sdk_config().await;
            let cognito = aws_sdk_cognitoidentityprovider::Client::new(&sdk);
            let (pool, client) = roster_aws::provision::user_pool(&cognito, &table)
                .await
                .unwrap();
            crate::aws::pool_id_token(&pool, &client, username, email, true).await
        }))
    }

    /// The invite link in the newest mail to `email`: from the outbox, or
    /// from what the emulator's SES was asked to send.
    pub fn invite_link(&self, email: &str) -> Option<String> {
        self.mail_link(email, "/signup?token=")
    }

    /// The newest link to `page` (e.g. `/reset?token=`) mailed to `email`.
    pub fn mail_link(&self, email: &str, page: &str) -> Option<String> {
        match Backend::current() {
            Backend::Embedded => crate::mail::latest_link_to(&self.data_dir, email, page),
            Backend::Aws => crate::aws::sent_to(&self.mail_from, email)
                .iter()
                .rev()
                .find_map(|body| crate::aws::link_to(body, page)),
        }
    }

    /// `POST /<path>`; returns status and JSON body, errors included.
    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        let mut req = self.agent.post(&format!("{}/{path}", self.base));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        match req.send_json(body.clone()) {
            Ok(r) => (r.status(), r.into_json().unwrap()),
            Err(ureq::Error::Status(code, r)) => (code, r.into_json().unwrap()),
            Err(e) => panic!("{path}: {e}"),
        }
    }

    /// `method /<path>` with an optional bearer token and JSON body, as the
    /// replaced APIs' clients call: status and the body as text.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, String) {
        let mut req = self.agent.request(method, &format!("{}/{path}", self.base));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        let answer = match body {
            Some(b) => req.send_json(b.clone()),
            None => req.call(),
        };
        match answer {
            Ok(r) => (r.status(), r.into_string().unwrap()),
            Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap()),
            Err(e) => panic!("{path}: {e}"),
        }
    }

    /// Like [`post`](Self::post) with a query string.
    pub fn post_query(&self, path: &str, query: &str, token: &str, body: &Value) -> (u16, Value) {
        self.post(&format!("{path}?{query}"), Some(token), body)
    }

    /// SIGTERM, then waits for a clean exit.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        child.wait().unwrap()
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill(mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
