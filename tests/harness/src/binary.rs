//! The real `people` binary as a child process on a free port, configured the way the README
//! tells operators to, and waited for until it serves.

use std::path::Path;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use crate::http::{Response, request};
use crate::ports::free_port;
use crate::process::{Process, STARTUP_LIMIT};

/// Shared by every instance a test starts, as the README tells operators to do.
pub const SECRET_KEY: &str = "hPRYyVRiMyxpw5sBB1XeCVZ6dAD0ERJ2Go8XGiD6bpA=";

pub struct AppProcess {
    pub port: u16,
    process: Process,
}

impl AppProcess {
    /// Starts `binary` (the suite's `CARGO_BIN_EXE_people`: only a test target is told where
    /// cargo built it) on `database_url`; does not wait for it.
    pub fn spawn(binary: &str, database_url: &str) -> Self {
        Self::spawn_with_secret(binary, database_url, SECRET_KEY)
    }

    pub fn spawn_with_secret(binary: &str, database_url: &str, secret_key: &str) -> Self {
        Self::spawn_configured(binary, database_url, Some(secret_key), "debug")
    }

    /// `spawn` with more environment variables (`ROCKET_PUBLIC_ORIGIN`, ...).
    pub fn spawn_with_env(binary: &str, database_url: &str, env: &[(&str, &str)]) -> Self {
        Self::spawn_in(binary, None, database_url, Some(SECRET_KEY), "debug", env)
    }

    /// The binary as a deployer first runs it: in `dir` (where nothing else need be), with an
    /// empty environment but for `ROCKET_SECRET_KEY` and the test's free port. Everything
    /// else comes from the defaults built into it and from what `dir` holds.
    pub fn spawn_bare(binary: &str, dir: &Path) -> Self {
        let port = free_port();
        let mut command = Command::new(binary);
        command
            .current_dir(dir)
            .env_clear()
            .env("ROCKET_SECRET_KEY", SECRET_KEY)
            .env("ROCKET_PORT", port.to_string());
        Self {
            port,
            process: Process::spawn("people", command),
        }
    }

    /// `profile` is Rocket's (`debug` or `release`); `None` leaves `secret_key` unset. It runs
    /// in the package root, so it reads the `Rocket.toml` users have.
    pub fn spawn_configured(
        binary: &str,
        database_url: &str,
        secret_key: Option<&str>,
        profile: &str,
    ) -> Self {
        Self::spawn_in(binary, None, database_url, secret_key, profile, &[])
    }

    /// `spawn` in `dir`, where no `Rocket.toml` is: the defaults and the environment are
    /// the whole configuration.
    pub fn spawn_in_dir(binary: &str, dir: &Path, database_url: &str) -> Self {
        Self::spawn_in(
            binary,
            Some(dir),
            database_url,
            Some(SECRET_KEY),
            "debug",
            &[],
        )
    }

    /// `spawn` with more settings: `database` is added to the `databases.people` table
    /// (`query_timeout=1,max_connections=2`), `env` to the environment (`ROCKET_BODY_TIMEOUT`).
    pub fn spawn_tuned(
        binary: &str,
        database_url: &str,
        database: &str,
        env: &[(&str, &str)],
    ) -> Self {
        Self::spawn_in_with(
            binary,
            None,
            database_url,
            Some(SECRET_KEY),
            "debug",
            database,
            env,
        )
    }

    fn spawn_in(
        binary: &str,
        dir: Option<&Path>,
        database_url: &str,
        secret_key: Option<&str>,
        profile: &str,
        env: &[(&str, &str)],
    ) -> Self {
        Self::spawn_in_with(binary, dir, database_url, secret_key, profile, "", env)
    }

    fn spawn_in_with(
        binary: &str,
        dir: Option<&Path>,
        database_url: &str,
        secret_key: Option<&str>,
        profile: &str,
        database: &str,
        env: &[(&str, &str)],
    ) -> Self {
        let port = free_port();
        let mut command = Command::new(binary);
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        match secret_key {
            Some(key) => command.env("ROCKET_SECRET_KEY", key),
            None => command.env_remove("ROCKET_SECRET_KEY"),
        };
        command
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .env(
                "ROCKET_DATABASES",
                format!(
                    "{{people={{url=\"{database_url}\",connect_timeout=2{}{database}}}}}",
                    if database.is_empty() { "" } else { "," }
                ),
            )
            .env("ROCKET_PROFILE", profile)
            .env("ROCKET_LOG_LEVEL", "critical")
            .env("ROCKET_CLI_COLORS", "false")
            .envs(env.iter().copied());
        Self {
            port,
            process: Process::spawn("people", command),
        }
    }

    /// Waits until `/health` answers 200; panics with the process's log if it exits or
    /// does not come up within a minute (a hang bound, not a speed claim).
    pub fn wait_until_healthy(&mut self) {
        let started = Instant::now();
        while started.elapsed() < STARTUP_LIMIT {
            self.process.assert_running("before serving");
            if self.get("/health").is_ok_and(|r| r.status == 200) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("people did not become healthy:\n{}", self.log());
    }

    /// Waits for the process to end by itself (bounded), returning its status and log.
    pub fn wait_for_exit(mut self) -> (ExitStatus, String) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.process.exit_status() {
                return (status, self.log());
            }
            assert!(
                started.elapsed() < STARTUP_LIMIT,
                "people did not exit:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends a signal by name (`TERM`, `KILL`, ...), as a supervisor would.
    pub fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.process.id().to_string())
            .status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -{signal} failed");
    }

    pub fn log(&self) -> String {
        self.process.log()
    }

    /// The server's process id (to read its threads and memory from /proc).
    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn get(&self, path: &str) -> std::io::Result<Response> {
        self.request("GET", path, &[], None)
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> std::io::Result<Response> {
        request(self.port, method, path, headers, body)
    }
}
