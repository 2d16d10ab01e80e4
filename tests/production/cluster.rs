//! A PostgreSQL server of the test's own: its own data directory and port, so stopping it
//! (an outage) or requiring TLS disturbs nothing else. Stopped and removed on drop.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

use people_test_harness::{POSTGRES, free_port};

/// Where initdb and pg_ctl live; found under Debian's layout unless this names a folder.
const BINDIR_VAR: &str = "PEOPLE_TEST_PG_BINDIR";

pub struct PgCluster {
    pub port: u16,
    pub dir: TempDir,
    bindir: PathBuf,
}

/// Certificates made for one cluster: a CA of our own and a server certificate it signed
/// for the name `localhost` only.
pub struct Certificates {
    pub ca: PathBuf,
}

impl PgCluster {
    /// `None` (and a SKIPPED note) when no PostgreSQL server binaries are installed.
    pub fn start(test: &str, tls_only: bool) -> Option<(Self, Option<Certificates>)> {
        let Some(bindir) = find_bindir() else {
            POSTGRES.missing(
                test,
                &format!("no PostgreSQL server binaries; set {BINDIR_VAR}"),
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("a temporary directory");
        let cluster = Self {
            port: free_port(),
            dir,
            bindir,
        };
        let data = cluster.data_dir();
        std::fs::create_dir(&data).expect("create the data directory");
        cluster.give_to_postgres_user(cluster.dir.path());
        run(cluster
            .pg_command("initdb")
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "-D"])
            .arg(&data));

        let certificates = tls_only.then(|| cluster.enable_tls_only());
        cluster.pg_ctl_start();
        Some((cluster, certificates))
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    pub fn create_database(&self, name: &str) {
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
    }

    /// Runs SQL over the cluster's Unix socket (which needs no TLS) and returns psql's output.
    pub fn psql(&self, database: &str, sql: &str) -> String {
        let output = run(self
            .pg_command("psql")
            .args(["-X", "-A", "-t", "-h"])
            .arg(self.dir.path())
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                database,
                "-c",
                sql,
            ]));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// An outage: the server stops at once, dropping every connection.
    pub fn stop(&self) {
        run(self
            .pg_command("pg_ctl")
            .args(["stop", "-m", "immediate", "-w", "-D"])
            .arg(self.data_dir()));
    }

    /// A partition that drops packets instead of closing connections, as near as one machine
    /// gets: every server process stops (SIGSTOP) with its sockets open, so requests sent to
    /// it are never answered. `resume` lets them carry on.
    pub fn pause(&self) {
        self.signal_all("STOP");
    }

    pub fn resume(&self) {
        self.signal_all("CONT");
    }

    fn signal_all(&self, signal: &str) {
        let postmaster = std::fs::read_to_string(self.data_dir().join("postmaster.pid"))
            .ok()
            .and_then(|text| text.lines().next()?.trim().parse::<u32>().ok())
            .expect("the server's postmaster.pid");
        let mut pids = vec![postmaster];
        pids.extend(children_of(postmaster));
        run(Command::new("kill")
            .arg(format!("-{signal}"))
            .args(pids.iter().map(u32::to_string)));
    }

    pub fn pg_ctl_start(&self) {
        let log = self.dir.path().join("postgres.log");
        run(self
            .pg_command("pg_ctl")
            .args(["start", "-w", "-t", "60", "-l"])
            .arg(&log)
            .arg("-D")
            .arg(self.data_dir())
            .arg("-o")
            .arg(format!(
                "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off",
                self.port,
                self.dir.path().display()
            )));
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn enable_tls_only(&self) -> Certificates {
        let dir = self.dir.path();
        let data = self.data_dir();
        let ca_key = dir.join("ca.key");
        let ca = dir.join("ca.crt");
        let key = data.join("server.key");
        let csr = dir.join("server.csr");
        let cert = data.join("server.crt");
        let ext = dir.join("san.ext");
        std::fs::write(&ext, "subjectAltName=DNS:localhost\n").expect("write the SAN extension");
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        run(Command::new("openssl")
            .args(["req", "-x509"])
            .args(ec)
            .args(["-days", "2", "-subj", "/CN=people test CA", "-keyout"])
            .arg(&ca_key)
            .arg("-out")
            .arg(&ca));
        run(Command::new("openssl")
            .arg("req")
            .args(ec)
            .args(["-subj", "/CN=localhost", "-keyout"])
            .arg(&key)
            .arg("-out")
            .arg(&csr));
        run(Command::new("openssl")
            .args(["x509", "-req", "-days", "2", "-in"])
            .arg(&csr)
            .arg("-CA")
            .arg(&ca)
            .arg("-CAkey")
            .arg(&ca_key)
            .arg("-CAcreateserial")
            .arg("-extfile")
            .arg(&ext)
            .arg("-out")
            .arg(&cert));
        let mut conf =
            std::fs::read_to_string(data.join("postgresql.conf")).expect("read postgresql.conf");
        conf.push_str("\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
        std::fs::write(data.join("postgresql.conf"), conf).expect("write postgresql.conf");
        // TCP clients must use TLS; the local socket (used by the test's own psql) need not.
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
        )
        .expect("write pg_hba.conf");
        self.give_to_postgres_user(dir);
        run(Command::new("chmod").arg("600").arg(&key));
        Certificates { ca }
    }

    /// PostgreSQL refuses to run as root; as root, everything runs as the `postgres` user.
    fn pg_command(&self, program: &str) -> Command {
        let binary = self.bindir.join(program);
        if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(binary);
            command
        } else {
            Command::new(binary)
        }
    }

    fn give_to_postgres_user(&self, path: &Path) {
        if is_root() {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(path));
        }
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = self
            .pg_command("pg_ctl")
            .args(["stop", "-m", "immediate", "-D"])
            .arg(self.data_dir())
            .output();
    }
}

fn run(command: &mut Command) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The processes whose parent is `parent`, from `/proc/PID/stat` ("PID (name) STATE PPID ...").
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let after_name = stat.rsplit_once(')')?.1;
                    after_name.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(parent)
        })
        .collect()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn find_bindir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(BINDIR_VAR) {
        return Some(PathBuf::from(dir));
    }
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    candidates.sort_by_key(|bin| {
        bin.parent()
            .and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok())
            .unwrap_or(0)
    });
    candidates.pop()
}
