//! The real `roster-server` binary, started on a free loopback port and
//! driven over HTTP, as a user would.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Builds `roster-server` once per test process (a no-op when it is fresh)
/// and returns its path, next to this test binary's `deps` folder.
pub fn server_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "-p",
                "roster-server",
                "--bin",
                "roster-server",
            ])
            .status()
            .expect("cargo build roster-server");
        assert!(status.success(), "building roster-server failed");
        let exe = std::env::current_exe().unwrap();
        // target/<profile>/deps/<test> → target/<profile>/roster-server
        exe.parent()
            .and_then(Path::parent)
            .map(|dir| dir.join("roster-server"))
            .unwrap()
    })
    .clone()
}

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
    agent: ureq::Agent,
}

impl Server {
    /// Starts the server on `data_dir` with extra flags; waits until `/health` answers.
    pub fn start(data_dir: &Path, args: &[&str]) -> Server {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let child = Command::new(server_bin())
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--public-url")
            .arg("http://roster.test")
            .args(args)
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
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
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
