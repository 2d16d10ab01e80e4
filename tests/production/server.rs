//! The real `people` binary as a child process on a free port, and just enough of an HTTP
//! client (std only) to talk to it. Killed on drop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::cluster::free_port;

/// Shared by every instance a test starts, as the README tells operators to do.
pub const SECRET_KEY: &str = "hPRYyVRiMyxpw5sBB1XeCVZ6dAD0ERJ2Go8XGiD6bpA=";
/// Another deployment's key: its instances must not accept our sessions.
pub const OTHER_SECRET_KEY: &str = "q3pGJ7yQ0i0a0Zr4bDq1bGxvC5m3yYV2w6Xk9s8T1nE=";

pub struct AppProcess {
    pub port: u16,
    child: Child,
    log: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl AppProcess {
    /// Starts the binary on `database_url`; does not wait for it.
    pub fn spawn(database_url: &str) -> Self {
        Self::spawn_with_secret(database_url, SECRET_KEY)
    }

    pub fn spawn_with_secret(database_url: &str, secret_key: &str) -> Self {
        Self::spawn_configured(database_url, Some(secret_key), "debug")
    }

    /// `profile` is Rocket's (`debug` or `release`); `None` leaves `secret_key` unset.
    pub fn spawn_configured(database_url: &str, secret_key: Option<&str>, profile: &str) -> Self {
        let port = free_port();
        let log_dir = tempfile::tempdir().expect("a temporary directory");
        let log = log_dir.path().join("people.log");
        let log_file = std::fs::File::create(&log).expect("create the log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_people"));
        match secret_key {
            Some(key) => command.env("ROCKET_SECRET_KEY", key),
            None => command.env_remove("ROCKET_SECRET_KEY"),
        };
        let child = command
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .env(
                "ROCKET_DATABASES",
                format!("{{people={{url=\"{database_url}\",connect_timeout=2}}}}"),
            )
            .env("ROCKET_PROFILE", profile)
            .env("ROCKET_LOG_LEVEL", "critical")
            .env("ROCKET_CLI_COLORS", "false")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("share the log file"))
            .stderr(log_file)
            .spawn()
            .expect("start the people binary");
        Self {
            port,
            child,
            log,
            _log_dir: log_dir,
        }
    }

    /// Waits until `/health` answers 200; panics with the process's log if it exits or
    /// does not come up within a minute (a hang bound, not a speed claim).
    pub fn wait_until_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "people exited with {status} before serving:\n{}",
                    self.log()
                );
            }
            if self.get("/health").is_ok_and(|r| r.status == 200) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("people did not become healthy:\n{}", self.log());
    }

    /// Waits for the process to end by itself (bounded), returning its status and log.
    pub fn wait_for_exit(mut self) -> (ExitStatus, String) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return (status, self.log());
            }
            assert!(
                Instant::now() < deadline,
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
            .arg(self.child.id().to_string())
            .status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -{signal} failed");
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
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

impl Drop for AppProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// A form page's hidden input value.
    pub fn hidden(&self, name: &str) -> String {
        crate::support::hidden_value(&self.body, name)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// `name=value` of every `Set-Cookie`, ready for a `Cookie` header.
    pub fn cookies(&self) -> String {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, value)| value.split(';').next())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = body.unwrap_or_default();
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;

    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let chunked = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("transfer-encoding") && value.eq_ignore_ascii_case("chunked")
    });
    let mut raw = Vec::new();
    if chunked {
        loop {
            let mut size_line = String::new();
            reader.read_line(&mut size_line)?;
            let size =
                usize::from_str_radix(size_line.trim(), 16).map_err(std::io::Error::other)?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
            raw.extend_from_slice(&chunk[..size]);
        }
    } else {
        reader.read_to_end(&mut raw)?;
    }
    Ok(Response {
        status,
        headers,
        body: String::from_utf8_lossy(&raw).into_owned(),
    })
}
