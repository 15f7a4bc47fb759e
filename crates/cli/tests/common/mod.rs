//! Runs the real `plexpicker-cli` binary against a simulator started in the test process.
//! Everything is loopback; names never go through real DNS (PLEXPICKER_DNS_OVERRIDES maps the
//! simulator's plex.direct names to their 127.0.0.x addresses).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use plex_sim::{Scenario, Sim};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_plexpicker-cli");

/// A simulator and a private settings directory.
pub struct Env {
    pub sim: Sim,
    pub dir: tempfile::TempDir,
}

pub async fn start(scenario: Scenario) -> Env {
    let sim = Sim::start(scenario).await.expect("sim starts");
    let dir = tempfile::tempdir().expect("tempdir");
    Env { sim, dir }
}

pub async fn builtin(name: &str) -> Env {
    start(Scenario::builtin(name).expect("built-in scenario")).await
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// From a finished child process.
    pub fn from_output(out: &Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// stdout as one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
    /// stdout as JSON lines.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
            .collect()
    }
    /// The JSON error on stderr (the last line that parses as `{"error":..}`).
    pub fn error_json(&self) -> Value {
        self.stderr
            .lines()
            .rev()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|v| v.get("error").is_some())
            .map(|v| v["error"].clone())
            .unwrap_or_else(|| panic!("no JSON error on stderr: {self:?}"))
    }
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success: {self:?}");
        self
    }
}

impl Env {
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("cli-settings.json")
    }

    pub fn dns_overrides(&self) -> String {
        self.sim
            .hosts()
            .into_iter()
            .map(|(h, a)| format!("{h}={}", a.ip()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The command with the test environment: the simulator's plex.tv, its CA, no real DNS,
    /// no browser, fast PIN polls, and a private HOME / XDG_CONFIG_HOME.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--config")
            .arg(self.config())
            .args(args)
            .env_remove("PLEXPICKER_CONFIG")
            .env_remove("PLEXPICKER_NO_DNS")
            .env_remove("PLEXPICKER_PROBE_TIMEOUT_MS")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("PLEXPICKER_PLEX_TV_URL", self.sim.plex_tv_url())
            .env("SSL_CERT_FILE", self.sim.ca_path())
            .env("PLEXPICKER_DNS_OVERRIDES", self.dns_overrides())
            .env("PLEXPICKER_NO_BROWSER", "1")
            .env("PLEXPICKER_PIN_POLL_MS", "50")
            // The tokens go to the fallback file next to the settings (never to the keychain
            // of the machine running the tests), where the tests can look.
            .env("PLEXPICKER_SECRETS", "file")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Runs the binary to completion (off the async threads, so the simulator keeps serving)
    /// and checks that no token of the simulator appears in its output.
    pub async fn run_cmd(&self, mut cmd: Command) -> Run {
        let out: Output = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .expect("join")
            .expect("binary runs");
        let run = Run::from_output(&out);
        self.assert_no_tokens(&run);
        run
    }

    /// Waits for a child started from [`Env::command`] (off the async threads) and checks its
    /// output like [`Env::run_cmd`].
    pub async fn wait(&self, child: std::process::Child) -> Run {
        let out = tokio::task::spawn_blocking(move || child.wait_with_output())
            .await
            .expect("join")
            .expect("wait");
        let run = Run::from_output(&out);
        self.assert_no_tokens(&run);
        run
    }

    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_cmd(self.command(args)).await
    }

    /// Every token the simulator knows (account and servers).
    pub fn tokens(&self) -> Vec<String> {
        let mut v = vec![self.sim.account_token().to_string()];
        v.extend(self.sim.servers().into_iter().map(|s| s.access_token));
        v
    }

    pub fn assert_no_tokens(&self, run: &Run) {
        for t in self.tokens() {
            assert!(!run.stdout.contains(&t), "token on stdout: {run:?}");
            assert!(!run.stderr.contains(&t), "token on stderr: {run:?}");
        }
    }

    /// Signs in with the account token.
    pub async fn sign_in(&self) {
        let token = self.sim.account_token().to_string();
        self.run(&["login", "--token", &token]).await.ok();
    }

    pub fn settings(&self) -> Value {
        let text = std::fs::read_to_string(self.config()).expect("settings file");
        serde_json::from_str(&text).expect("settings JSON")
    }

    /// The secret store's fallback file.
    pub fn secrets_file(&self) -> PathBuf {
        self.dir.path().join("secrets").join("secrets.json")
    }

    /// The account token in the secret store, if any.
    pub fn account_secret(&self) -> Option<String> {
        let text = std::fs::read_to_string(self.secrets_file()).ok()?;
        let v: Value = serde_json::from_str(&text).expect("secrets JSON");
        v["secrets"]["account-token"].as_str().map(str::to_string)
    }

    /// Replaces the account token in the secret store.
    pub fn set_account_secret(&self, token: &str) {
        let text = std::fs::read_to_string(self.secrets_file()).expect("secrets file");
        let mut v: Value = serde_json::from_str(&text).expect("secrets JSON");
        v["secrets"]["account-token"] = Value::String(token.to_string());
        std::fs::write(self.secrets_file(), v.to_string()).expect("write secrets");
    }

    /// Asserts that no file under the settings folder, other than the secret store's own,
    /// holds any token of the simulator.
    pub fn assert_no_token_in_files(&self) {
        let secrets = self.secrets_file();
        let mut stack = vec![self.dir.path().to_path_buf()];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path != secrets {
                    seen += 1;
                    let bytes = std::fs::read(&path).expect("read");
                    let text = String::from_utf8_lossy(&bytes);
                    for t in self.tokens() {
                        assert!(!text.contains(&t), "a token in {}", path.display());
                    }
                }
            }
        }
        assert!(seen > 0, "no files were written at all");
    }

    pub fn machine_id(&self, server: &str) -> String {
        self.sim
            .server(server)
            .unwrap_or_else(|| panic!("no server {server}"))
            .machine_identifier
    }
}

/// Waits until the simulator has a PIN (the binary created it), up to 10 s.
pub async fn wait_for_pin(sim: &Sim) -> u64 {
    for _ in 0..500 {
        if let Some(p) = sim.pins().last() {
            return p.id;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the binary never created a PIN");
}
