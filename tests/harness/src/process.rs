//! Child processes the tests start (the app, chromedriver): output kept in a log for failure
//! messages, and stopped when dropped, pass or fail, so none outlives its test.

use std::fs::File;
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long a program may take to start listening. Generous: two cores shared with builds.
pub(crate) const STARTUP_LIMIT: Duration = Duration::from_secs(60);

pub struct Process {
    name: &'static str,
    child: Child,
    /// Whether the child leads a process group of its own, stopped with it.
    group: bool,
    log: PathBuf,
    _log_dir: TempDir,
}

impl Process {
    /// Starts `command` with its output in a log; does not wait for it.
    pub fn spawn(name: &'static str, command: Command) -> Self {
        Self::start(name, command, false)
    }

    /// `spawn`, in a process group of its own, so that dropping it also stops what it
    /// started (Chromium's many processes under chromedriver).
    pub fn spawn_group(name: &'static str, mut command: Command) -> Self {
        command.process_group(0);
        Self::start(name, command, true)
    }

    fn start(name: &'static str, mut command: Command, group: bool) -> Self {
        let log_dir = tempfile::tempdir().expect("a temporary directory");
        let log = log_dir.path().join(format!("{name}.log"));
        let output = File::create(&log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
        let errors = output
            .try_clone()
            .unwrap_or_else(|e| panic!("reopen {}: {e}", log.display()));
        command.stdin(Stdio::null()).stdout(output).stderr(errors);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        Self {
            name,
            child,
            group,
            log,
            _log_dir: log_dir,
        }
    }

    /// Waits until it accepts connections on `port`; panics with its log if it exits first
    /// or takes longer than `STARTUP_LIMIT`.
    pub async fn wait_until_listening(&mut self, port: u16) {
        let started = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            self.assert_running("before listening");
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

    /// Panics with the log if the process has ended; `when` says what it had not done yet.
    pub fn assert_running(&mut self, when: &str) {
        if let Some(status) = self.exit_status() {
            panic!("{} exited with {status} {when}:\n{}", self.name, self.log());
        }
    }

    /// How it ended, if it has.
    pub fn exit_status(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// What the program has written so far, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // The group id is the child's pid (process_group(0)); a negative pid signals the group.
        if self.group
            && let Ok(pid) = i32::try_from(self.child.id())
        {
            // SAFETY: kill(2) with a group id we created; no memory is involved.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
