//! One bot server as a child process: started under `timeout` (so it stops by itself even if
//! the generator dies), found by the `listening on http://…` line it prints, stopped with
//! SIGTERM.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The longest a server may live (a whole round takes a few seconds).
const LIFETIME: &str = "900";

pub struct Server {
    child: Child,
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
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", program.display()));
        let stdout = child.stdout.take().expect("piped stdout");
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
        Self { child, pid, addr, db }
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

    /// SIGTERM, then waits (bounded) for the exit.
    pub async fn stop(mut self) {
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
