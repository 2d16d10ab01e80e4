//! Child processes the tests start (the app, chromedriver), stopped when dropped, pass or
//! fail, and never outliving the test.

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a program may take to start listening. Generous: two cores shared with builds.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

pub struct Process {
    name: &'static str,
    child: Child,
    log: PathBuf,
}

impl Process {
    /// Starts `command` in a process group of its own, with its output in `log`, and waits
    /// until it accepts connections on `port`.
    pub async fn start(name: &'static str, mut command: Command, log: &Path, port: u16) -> Self {
        let output = File::create(log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
        let errors = output
            .try_clone()
            .unwrap_or_else(|e| panic!("reopen {}: {e}", log.display()));
        // Its own group, so that dropping it also stops what it started (Chromium's many
        // processes under chromedriver).
        command
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        let mut process = Self {
            name,
            child,
            log: log.to_owned(),
        };
        process.wait_until_listening(port).await;
        process
    }

    async fn wait_until_listening(&mut self, port: u16) {
        let started = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "{} exited ({status}) before listening:\n{}",
                    self.name,
                    self.log()
                );
            }
            if started.elapsed() > STARTUP_LIMIT {
                panic!(
                    "{} is not listening on port {port} after {STARTUP_LIMIT:?}:\n{}",
                    self.name,
                    self.log()
                );
            }
            rocket::tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// What the program has written so far, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // The group id is the child's pid (process_group(0)); a negative pid signals the group.
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) with a group id we created; no memory is involved.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now. Another process could take it before the child
/// binds it; the child then fails to start, loudly, rather than a test passing wrongly.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or_else(|e| panic!("find a free port: {e}"))
}
