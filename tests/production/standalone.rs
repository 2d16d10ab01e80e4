//! The binary as a deployer gets it: copied alone into an empty directory, it serves (on
//! SQLite, with the built-in settings and the embedded stylesheet), migrates on command, and
//! says how to use it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use people_test_harness::{AppProcess, TestPostgres, encode_form};

use crate::PEOPLE;

const STYLESHEET: &str = include_str!("../../static/style.css");

/// A copy of the binary in an empty directory of its own: no source tree, no `Rocket.toml`.
fn alone() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let binary = dir.path().join("people");
    std::fs::copy(PEOPLE, &binary).expect("copy the binary");
    (dir, binary)
}

fn run(binary: &Path, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(binary)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run people {args:?}: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn alone_in_an_empty_directory_it_serves_on_sqlite_with_the_built_in_settings() {
    let (dir, binary) = alone();
    let mut app = AppProcess::spawn_bare(binary.to_str().expect("a UTF-8 path"), dir.path());
    app.wait_until_healthy();
    assert!(
        dir.path().join("people.db").exists(),
        "./people.db created and migrated"
    );

    let list = app.get("/people").expect("the list");
    assert_eq!(list.status, 200, "{}", app.log());
    let stylesheet = list.stylesheet().expect("a hashed stylesheet link");
    let css = app.get(stylesheet).expect("the stylesheet");
    assert_eq!(css.status, 200);
    assert_eq!(css.body, STYLESHEET, "embedded, not read from disk");

    // The built-in `limits.form` (16 KiB; Rocket's own default is 32 KiB).
    let form = app.get("/people/new").expect("the form");
    let body = encode_form(&[
        ("csrf_token", &form.hidden("csrf_token")),
        ("name", &"x".repeat(20 * 1024)),
    ]);
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Cookie", &form.cookies()),
    ];
    let refused = app
        .request("POST", "/people", &headers, Some(&body))
        .expect("an answer");
    assert_eq!(refused.status, 413, "{}", refused.body);
}

#[test]
fn a_rocket_toml_beside_it_and_the_environment_override_the_built_in_settings() {
    let (dir, binary) = alone();
    std::fs::write(
        dir.path().join("Rocket.toml"),
        "[default.databases.people]\nurl = \"sqlite://from-toml.db\"\n",
    )
    .expect("write Rocket.toml");
    let mut app = AppProcess::spawn_bare(binary.to_str().expect("a UTF-8 path"), dir.path());
    app.wait_until_healthy();
    assert!(dir.path().join("from-toml.db").exists());
    assert!(!dir.path().join("people.db").exists());
    drop(app);

    let migrated = run(
        &binary,
        dir.path(),
        &["migrate"],
        &[(
            "ROCKET_DATABASES",
            "{people={url=\"sqlite://from-env.db\"}}",
        )],
    );
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    assert!(dir.path().join("from-env.db").exists());
}

#[test]
fn migrate_applies_the_migrations_and_exits() {
    let (dir, binary) = alone();
    let first = run(&binary, dir.path(), &["migrate"], &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("applied"),
        "{}",
        text(&first.stdout)
    );
    assert!(dir.path().join("people.db").exists());

    let again = run(&binary, dir.path(), &["migrate"], &[]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).contains("up to date"),
        "{}",
        text(&again.stdout)
    );

    // A database it cannot reach: one line on stderr, status 1.
    let unreachable = run(
        &binary,
        dir.path(),
        &["migrate"],
        &[(
            "ROCKET_DATABASES",
            "{people={url=\"postgres://people@127.0.0.1:1/people\",connect_timeout=1}}",
        )],
    );
    assert_eq!(unreachable.status.code(), Some(1));
    let stderr = text(&unreachable.stderr);
    assert!(
        stderr.starts_with("people: cannot migrate: PostgreSQL at"),
        "{stderr}"
    );
}

#[rocket::async_test]
async fn migrate_on_postgres_leaves_nothing_for_the_launch_to_apply() {
    let test = "production::standalone::migrate_on_postgres_leaves_nothing_for_the_launch_to_apply";
    let Some(db) = TestPostgres::create(test).await else {
        return;
    };
    let (dir, binary) = alone();
    let databases = format!("{{people={{url=\"{}\"}}}}", db.url);
    let migrated = run(
        &binary,
        dir.path(),
        &["migrate"],
        &[("ROCKET_DATABASES", &databases)],
    );
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    assert!(text(&migrated.stdout).contains("applied"));

    let mut app = AppProcess::spawn(PEOPLE, &db.url);
    app.wait_until_healthy();
    let again = run(
        &binary,
        dir.path(),
        &["migrate"],
        &[("ROCKET_DATABASES", &databases)],
    );
    assert!(
        text(&again.stdout).contains("up to date"),
        "{}",
        text(&again.stdout)
    );
}

#[test]
fn help_and_version_say_what_it_is() {
    let (dir, binary) = alone();
    let help = run(&binary, dir.path(), &["--help"], &[]);
    assert!(help.status.success());
    let help = text(&help.stdout);
    for word in ["serve", "migrate", "--version", "ROCKET_DATABASES"] {
        assert!(help.contains(word), "{word} in:\n{help}");
    }
    let version = run(&binary, dir.path(), &["--version"], &[]);
    assert!(version.status.success());
    assert_eq!(
        text(&version.stdout).trim(),
        format!("people {}", env!("CARGO_PKG_VERSION"))
    );
    let unknown = run(&binary, dir.path(), &["frobnicate"], &[]);
    assert_eq!(unknown.status.code(), Some(2), "a usage error");
}

/// The threads of a running process (Linux: /proc/PID/task).
fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, |tasks| tasks.count())
}

#[test]
fn alone_in_an_empty_directory_it_runs_on_the_built_in_max_blocking_threads() {
    // More connections than the built-in `max_blocking` (8): with Rocket's own runtime the
    // binary away from the source tree had up to 512 blocking threads, one per busy
    // connection here. Only the pool is set, so `max_blocking` is the built-in one.
    let (dir, binary) = alone();
    std::fs::write(
        dir.path().join("Rocket.toml"),
        "[default.databases.people]\nmax_connections = 32\n",
    )
    .expect("write Rocket.toml");
    let mut app = AppProcess::spawn_bare(binary.to_str().expect("a UTF-8 path"), dir.path());
    app.wait_until_healthy();
    let pid = app.pid();
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    // Tokio's workers, the blocking threads, and the main thread.
    let limit = workers + 8 + 1;

    let peak = std::sync::atomic::AtomicUsize::new(threads(pid));
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let clients: Vec<_> = (0..48)
            .map(|_| {
                scope.spawn(|| {
                    for _ in 0..10 {
                        let page = app.get("/people").expect("the list");
                        assert_eq!(page.status, 200);
                    }
                })
            })
            .collect();
        scope.spawn(|| {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak.fetch_max(threads(pid), std::sync::atomic::Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        });
        for client in clients {
            client.join().expect("a client");
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let peak = peak.into_inner();
    assert!(
        peak <= limit,
        "{peak} threads under 48 clients, more than {workers} workers + 8 blocking + main"
    );
}
