//! The app behind Debian's nginx, configured with the very proxy settings `deploy/` ships
//! (`deploy/nginx/people-proxy.conf`), in front of two instances on one PostgreSQL database:
//! what a browser does through it, then one instance killed under traffic.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use people_test_harness::{
    AppProcess, Prerequisite, Process, Response, TestPostgres, encode_form, request,
};

use crate::PEOPLE;
use crate::load::{assert_stored_in_postgres, write_load};

const NGINX_VAR: &str = "PEOPLE_NGINX";

const NGINX: Prerequisite = Prerequisite {
    tests: "nginx tests",
    required_var: "PEOPLE_TEST_REQUIRE_NGINX",
    how_to_run: || {
        format!(
            "To run them, install nginx (`apt install nginx` on Debian) or name the binary with \
             {NGINX_VAR}=/path/to/nginx."
        )
    },
};

/// How long anything here may take to come up: a hang bound, not a speed claim.
const LIMIT: Duration = Duration::from_secs(60);

fn find_nginx(test: &str) -> Option<PathBuf> {
    let found = match std::env::var_os(NGINX_VAR) {
        Some(path) => Some(PathBuf::from(path)).filter(|path| path.exists()),
        None => ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .map(PathBuf::from)
            .find(|path| path.exists()),
    };
    if found.is_none() {
        NGINX.missing(test, &format!("no nginx found; set {NGINX_VAR}"));
    }
    found
}

/// nginx with a configuration, logs, pid and temporary files of its own, listening on
/// `port` in plain HTTP, with `deploy/nginx/people-proxy.conf` as its server's content.
struct Nginx {
    dir: TempDir,
    process: Process,
}

impl Nginx {
    fn start(binary: &PathBuf, port: u16, instances: &[u16]) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        // As root, nginx's workers run as `nobody` and must reach their temporary files.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("open the directory to nginx's workers");
        let d = dir.path().display();
        let servers: String = instances
            .iter()
            .map(|port| format!("        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n"))
            .collect();
        let proxy = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/deploy/nginx/people-proxy.conf"
        );
        let conf = format!(
            "worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 512; }}\n\
             http {{\n\
                 access_log {d}/access.log;\n\
                 client_body_temp_path {d}/client_body;\n\
                 proxy_temp_path {d}/proxy;\n\
                 fastcgi_temp_path {d}/fastcgi;\n\
                 uwsgi_temp_path {d}/uwsgi;\n\
                 scgi_temp_path {d}/scgi;\n\
                 # As Debian's /etc/nginx/nginx.conf has it: the site must keep pages uncompressed.\n\
                 gzip on;\n\
                 upstream people {{\n{servers}        keepalive 8;\n    }}\n\
                 server {{\n        listen 127.0.0.1:{port};\n        include {proxy};\n    }}\n\
             }}\n"
        );
        let conf_path = dir.path().join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("write nginx.conf");
        let mut command = Command::new(binary);
        command
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf_path)
            .arg("-e")
            .arg(dir.path().join("error.log"));
        // A group of its own: dropping it stops the master and its workers.
        let mut process = Process::spawn_group("nginx", command);
        let started = Instant::now();
        while !request(port, "GET", "/health", &[], None).is_ok_and(|r| r.status == 200) {
            process.assert_running("before serving");
            assert!(
                started.elapsed() < LIMIT,
                "nginx did not serve:\n{}",
                process.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { dir, process }
    }

    fn error_log(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default();
        format!("{log}\n{}", self.process.log())
    }
}

/// A browser on the public origin: its cookie, and `Origin` + `Sec-Fetch-Site` on posts.
struct Browser {
    port: u16,
    origin: String,
    cookie: String,
}

impl Browser {
    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut all = vec![("Cookie", self.cookie.as_str())];
        all.extend_from_slice(headers);
        request(self.port, "GET", path, &all, None).expect("an answer from nginx")
    }

    fn post(&self, path: &str, fields: &[(&str, &str)], origin: &str) -> Response {
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", self.cookie.as_str()),
            ("Origin", origin),
        ];
        request(
            self.port,
            "POST",
            path,
            &headers,
            Some(&encode_form(fields)),
        )
        .expect("an answer from nginx")
    }
}

#[rocket::async_test]
async fn behind_nginx_two_instances_serve_the_forms_and_survive_a_sigkill_under_traffic() {
    let test =
        "production::nginx::behind_nginx_two_instances_serve_the_forms_and_survive_a_sigkill";
    let Some(nginx) = find_nginx(test) else {
        return;
    };
    let Some(db) = TestPostgres::create(test).await else {
        return;
    };
    let url = db.url.clone();
    let answered = rocket::tokio::task::spawn_blocking(move || through_nginx(&nginx, &url))
        .await
        .expect("the run through nginx");

    assert_stored_in_postgres(&db.url, &answered).await;
}

/// Everything that happens through nginx; returns the creates answered with a redirect
/// during the kill.
fn through_nginx(nginx_binary: &PathBuf, url: &str) -> Vec<String> {
    let port = people_test_harness::free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let env = [("ROCKET_PUBLIC_ORIGIN", origin.as_str())];
    let mut a = AppProcess::spawn_with_env(PEOPLE, url, &env);
    let mut b = AppProcess::spawn_with_env(PEOPLE, url, &env);
    a.wait_until_healthy();
    b.wait_until_healthy();
    let nginx = Nginx::start(nginx_binary, port, &[a.port, b.port]);

    browse_and_edit(port, &origin, &nginx);

    // SIGKILL one instance under reads and creates.
    let stop = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    let (writers, answered) = write_load(port, &stop, Some(&origin));
    let reads_after_kill = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (stop, killed) = (Arc::clone(&stop), Arc::clone(&killed));
            let (reads, failures) = (Arc::clone(&reads_after_kill), Arc::clone(&failures));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let after_kill = killed.load(Ordering::Relaxed);
                    match request(port, "GET", "/people", &[], None) {
                        Ok(response) if response.status == 200 => {
                            if after_kill {
                                reads.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        other => {
                            let what =
                                other.map_or_else(|e| e.to_string(), |r| r.status.to_string());
                            if let Ok(mut failures) = failures.lock() {
                                failures.push(what);
                            }
                        }
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1000));
    let created_before_kill = answered.lock().map(|names| names.len()).unwrap_or(0);
    a.signal("KILL");
    killed.store(true, Ordering::Relaxed);
    std::thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::Relaxed);
    for thread in writers.into_iter().chain(readers) {
        thread.join().expect("a load thread");
    }
    let (status, _) = a.wait_for_exit();
    assert!(!status.success(), "killed, not exited: {status}");

    let answered = answered
        .lock()
        .map(|names| names.clone())
        .unwrap_or_default();
    let reads = reads_after_kill.load(Ordering::Relaxed);
    let failures = failures.lock().map(|f| f.clone()).unwrap_or_default();
    // A read already being answered by the killed instance cannot be retried: at most one
    // per reader. Every other read is answered, by the survivor.
    assert!(
        failures.len() <= 2,
        "reads failed: {failures:?}\n{}",
        nginx.error_log()
    );
    assert!(reads > 20, "reads kept answering after the kill: {reads}");
    assert!(
        created_before_kill > 5 && answered.len() > created_before_kill + 5,
        "creates went on through the survivor: {created_before_kill} before the kill, {} in all",
        answered.len()
    );
    let list = request(port, "GET", "/people", &[], None).expect("the list");
    assert_eq!(list.status, 200, "{}", b.log());
    answered
}

/// Create, edit, a stale edit, a forged post and delete, as a browser on the public origin.
fn browse_and_edit(port: u16, origin: &str, nginx: &Nginx) {
    let new = request(port, "GET", "/people/new", &[], None).expect("the form");
    assert_eq!(new.status, 200, "{}", nginx.error_log());
    let browser = Browser {
        port,
        origin: origin.to_owned(),
        cookie: new.cookies(),
    };
    let token = new.hidden("csrf_token");

    // The stylesheet, compressed by the app and passed on; pages never compressed.
    let stylesheet = new.stylesheet().expect("a hashed stylesheet link");
    let css = browser.get(stylesheet, &[("Accept-Encoding", "gzip, deflate, br")]);
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Encoding"), Some("br"));
    assert_eq!(
        css.header("Cache-Control"),
        Some("public, max-age=31536000, immutable")
    );
    let page = browser.get("/people", &[("Accept-Encoding", "gzip, deflate, br")]);
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Encoding"),
        None,
        "pages stay uncompressed"
    );

    // Create.
    let created = browser.post(
        "/people",
        &[
            ("csrf_token", &token),
            ("creation_key", &new.hidden("creation_key")),
            ("name", "Ada Lovelace"),
        ],
        &browser.origin,
    );
    assert_eq!(
        created.status,
        303,
        "{}\n{}",
        created.body,
        nginx.error_log()
    );
    let person = created.header("Location").expect("a redirect").to_owned();

    // Edit, then a stale edit from the form opened before it.
    let edit = browser.get(&format!("{person}/edit"), &[]);
    assert_eq!(edit.status, 200);
    let version = edit.hidden("version");
    let put = |name: &str| {
        browser.post(
            &person,
            &[
                ("_method", "put"),
                ("csrf_token", &token),
                ("version", &version),
                ("name", name),
            ],
            &browser.origin,
        )
    };
    assert_eq!(put("Ada King").status, 303);
    let stale = put("Ada Byron");
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(browser.get(&person, &[]).body.contains("<h1>Ada King</h1>"));

    // A forged post from another site, with the victim's cookie and a valid token: refused.
    let forged = browser.post(
        "/people",
        &[("csrf_token", &token), ("name", "Mallory")],
        "https://evil.example",
    );
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert!(!browser.get("/people", &[]).body.contains("Mallory"));

    // Delete.
    let deleted = browser.post(
        &person,
        &[("_method", "delete"), ("csrf_token", &token)],
        &browser.origin,
    );
    assert_eq!(deleted.status, 303);
    // In the trash: the page says so (410 Gone) with a Restore button.
    assert_eq!(browser.get(&person, &[]).status, 410);

    // Inside-only endpoints and oversized bodies stop at nginx.
    assert_eq!(browser.get("/metrics", &[]).status, 403);
    let huge = browser.post("/people", &[("name", &"x".repeat(100 * 1024))], origin);
    assert_eq!(huge.status, 413);
}
