//! One bot server as a child process: started under `timeout` (so it stops by itself even if
//! the generator dies), found by the `listening on http://…` line it prints, stopped with
//! SIGTERM. Its stderr is read, not passed through: warnings are counted (ours logs one per 503)
//! and errors kept, for the checks after the run.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The longest a server may live (a whole round takes a few seconds).
const LIFETIME: &str = "900";

/// What a server wrote to stderr.
#[derive(Default)]
pub struct Log {
    /// Warning lines, and the first one.
    pub warnings: u64,
    pub first_warning: Option<String>,
    /// Error lines (logged errors, panics, the teloxide bot's error prints), the first 10.
    pub errors: Vec<String>,
    /// Any other lines but the stop notices, the first 10.
    pub other: Vec<String>,
}

impl Log {
    fn add(&mut self, line: String) {
        const ERRORS: [&str; 7] = [
            "ERROR",
            "panicked",
            "could not record",
            "ledger:",
            "top-up:",
            "buy:",
            "--max-seconds reached",
        ];
        if ERRORS.iter().any(|e| line.contains(e)) {
            if self.errors.len() < 10 {
                self.errors.push(line);
            }
        } else if line.contains(" WARN ") {
            self.warnings += 1;
            self.first_warning.get_or_insert(line);
        } else if !line.ends_with(": stopped") && self.other.len() < 10 {
            self.other.push(line);
        }
    }
}

pub struct Server {
    child: Child,
    stderr: tokio::task::JoinHandle<Log>,
    /// The bot's own pid (the child of `timeout`).
    pid: u32,
    pub addr: SocketAddr,
    pub db: PathBuf,
}

impl Server {
    /// Runs `program args…` with `env`, waits (bounded) for it to listen.
    pub async fn start(program: &Path, args: &[String], env: &[(&str, String)], db: PathBuf) -> Self {
        let mut command = Command::new("timeout");
        command
            .args(["-s", "TERM", LIFETIME])
            .arg(program)
            .args(args)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", program.display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let stderr = tokio::spawn(async move {
            let mut log = Log::default();
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                log.add(line);
            }
            log
        });
        let mut lines = BufReader::new(stdout).lines();
        let addr = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.expect("read server stdout") {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap_or_default();
                    return addr.parse::<SocketAddr>().expect("listening address");
                }
            }
            panic!("{} exited before listening", program.display());
        })
        .await
        .unwrap_or_else(|_| panic!("{} did not listen within 30 s", program.display()));
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let outer = child.id().expect("timeout's pid");
        let pid = bot_pid(outer).await;
        Self {
            child,
            stderr,
            pid,
            addr,
            db,
        }
    }

    /// The peak resident set so far (`VmHWM`), in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).expect("read /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc status")
    }

    /// SIGTERM, then waits (bounded) for the exit; what it wrote to stderr.
    pub async fn stop(mut self) -> Log {
        if let Some(outer) = self.child.id() {
            // timeout forwards the signal to the bot.
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &outer.to_string()])
                .status();
        }
        match tokio::time::timeout(Duration::from_secs(15), self.child.wait()).await {
            Ok(status) => {
                let status = status.expect("wait for server");
                if !status.success() {
                    eprintln!("server exited with {status}");
                }
            }
            Err(_) => {
                eprintln!("server ignored SIGTERM for 15 s: killing it");
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", &self.pid.to_string()])
                    .status();
                let _ = self.child.kill().await;
            }
        }
        match tokio::time::timeout(Duration::from_secs(5), self.stderr).await {
            Ok(Ok(log)) => log,
            _ => Log {
                errors: vec!["stderr not closed 5 s after the exit".to_owned()],
                ..Log::default()
            },
        }
    }
}

/// The only child of `timeout` (pid `outer`).
async fn bot_pid(outer: u32) -> u32 {
    for _ in 0..100 {
        let children = std::fs::read_to_string(format!("/proc/{outer}/task/{outer}/children")).unwrap_or_default();
        if let Some(pid) = children.split_whitespace().next().and_then(|p| p.parse().ok()) {
            return pid;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no child under timeout (pid {outer})");
}
