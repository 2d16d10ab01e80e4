//! A PostgreSQL database of its own for each test, created on the server named by
//! `PEOPLE_TEST_POSTGRES_URL` and dropped when the test ends, pass or fail.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

use crate::skip::Prerequisite;

const SERVER_URL_VAR: &str = "PEOPLE_TEST_POSTGRES_URL";

/// What every PostgreSQL test needs: a server, and for the outage and TLS tests its binaries.
pub const POSTGRES: Prerequisite = Prerequisite {
    tests: "PostgreSQL tests",
    required_var: "PEOPLE_TEST_REQUIRE_POSTGRES",
    how_to_run: || {
        format!(
            "To run them, name a server (and have PostgreSQL's server binaries installed for \
             the outage and TLS tests):\n    \
             {SERVER_URL_VAR}=postgres://postgres@127.0.0.1:5432/postgres cargo test"
        )
    },
};

pub struct TestPostgres {
    pub url: String,
    server_url: String,
    name: String,
}

impl TestPostgres {
    /// `None` (and a SKIPPED notice) when no server is configured.
    pub async fn create(test: &str) -> Option<Self> {
        let Ok(server_url) = std::env::var(SERVER_URL_VAR) else {
            POSTGRES.missing(test, &format!("no PostgreSQL server; set {SERVER_URL_VAR}"));
            return None;
        };
        let name = unique_name();
        let mut admin = AsyncPgConnection::establish(&server_url)
            .await
            .unwrap_or_else(|e| panic!("connect to {SERVER_URL_VAR}={server_url}: {e}"));
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap_or_else(|e| panic!("create test database {name}: {e}"));
        let url = with_database(&server_url, &name);
        Some(Self {
            url,
            server_url,
            name,
        })
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        // Drop runs outside async code (and during a panic): use a thread with its own runtime.
        let (server_url, name) = (self.server_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = rocket::tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let mut admin = AsyncPgConnection::establish(&server_url)
                    .await
                    .map_err(|e| e.to_string())?;
                admin
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .map_err(|e| e.to_string())
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            let _ = writeln!(
                std::io::stderr(),
                "could not drop test database {}: {e}",
                self.name
            );
        }
    }
}

fn unique_name() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "people_test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The server URL with its database path replaced by `name`; the query (`sslmode=...`) stays.
fn with_database(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}
