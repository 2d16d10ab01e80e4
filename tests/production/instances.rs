//! Several instances of the real binary on one database, as behind a load balancer.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use diesel::{Connection, SqliteConnection};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use people::db::MIGRATION_LOCK;

use people_test_harness::{AppProcess, TestPostgres, encode_form, hidden_value};

use crate::PEOPLE;

/// Another deployment's key: its instances must not accept our sessions.
const OTHER_SECRET_KEY: &str = "q3pGJ7yQ0i0a0Zr4bDq1bGxvC5m3yYV2w6Xk9s8T1nE=";

fn migration_count(backend: &str) -> i64 {
    let dir = format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
    let count = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().filter(|e| e.path().is_dir()).count());
    i64::try_from(count.unwrap_or(0)).unwrap_or(0)
}

/// Starts `n` instances at the same moment and waits until all serve.
fn start_together(url: &str, n: usize) -> Vec<AppProcess> {
    let mut apps: Vec<AppProcess> = (0..n).map(|_| AppProcess::spawn(PEOPLE, url)).collect();
    apps.iter_mut().for_each(AppProcess::wait_until_healthy);
    apps
}

/// Starts `n` instances while the test holds the lock migrations need, checks that they
/// wait for it rather than migrate, then lets them all go at once: the tightest race there is.
fn start_racing(url: &str, n: usize, release_lock: impl FnOnce()) -> Vec<AppProcess> {
    let mut apps: Vec<AppProcess> = (0..n).map(|_| AppProcess::spawn(PEOPLE, url)).collect();
    std::thread::sleep(Duration::from_secs(1));
    for app in &mut apps {
        assert!(
            app.get("/health").is_err(),
            "an instance served before the lock was free:\n{}",
            app.log()
        );
    }
    release_lock();
    apps.iter_mut().for_each(AppProcess::wait_until_healthy);
    apps
}

#[rocket::async_test]
async fn instances_launched_together_on_an_empty_postgres_database_migrate_once_and_serve() {
    let test = "production::instances::instances_launched_together_on_an_empty_postgres_database";
    let Some(db) = TestPostgres::create(test).await else {
        return;
    };
    let mut conn = AsyncPgConnection::establish(&db.url)
        .await
        .expect("connect to the test database");
    let lock = |function: &str| diesel::sql_query(format!("SELECT {function}({MIGRATION_LOCK})"));
    lock("pg_advisory_lock")
        .execute(&mut conn)
        .await
        .expect("take the migration lock");

    let apps = start_racing(&db.url, 3, || {
        let unlocked = rocket::tokio::task::block_in_place(|| {
            rocket::tokio::runtime::Handle::current()
                .block_on(lock("pg_advisory_unlock").execute(&mut conn))
        });
        unlocked.expect("release the migration lock");
    });

    let applied: i64 = diesel::select(diesel::dsl::sql::<BigInt>(
        "(SELECT count(*) FROM __diesel_schema_migrations)",
    ))
    .get_result(&mut conn)
    .await
    .expect("read the migrations table");
    assert_eq!(
        applied,
        migration_count("postgres"),
        "each migration applied once"
    );
    for app in &apps {
        assert_eq!(
            app.get("/people").map(|r| r.status).ok(),
            Some(200),
            "{}",
            app.log()
        );
    }
}

#[test]
fn instances_launched_together_on_an_empty_sqlite_file_migrate_once_and_serve() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("people.db");
    let mut conn = SqliteConnection::establish(&path.display().to_string()).expect("open the file");
    conn.batch_execute("BEGIN IMMEDIATE")
        .expect("take the write lock");

    let url = format!("sqlite://{}", path.display());
    let apps = start_racing(&url, 3, || {
        conn.batch_execute("COMMIT").expect("release the lock")
    });
    for app in &apps {
        assert_eq!(
            app.get("/people").map(|r| r.status).ok(),
            Some(200),
            "{}",
            app.log()
        );
    }
}

#[rocket::async_test]
async fn a_form_rendered_by_one_instance_is_accepted_by_another_and_its_flash_shown_by_either() {
    let test = "production::instances::a_form_rendered_by_one_instance_is_accepted_by_another";
    let Some(db) = TestPostgres::create(test).await else {
        return;
    };
    let apps = start_together(&db.url, 2);
    let (a, b) = (&apps[0], &apps[1]);

    let form = a.get("/people/new").expect("the form from instance A");
    let session = form.cookies();
    let body = encode_form(&[
        ("csrf_token", &hidden_value(&form.body, "csrf_token")),
        ("creation_key", &hidden_value(&form.body, "creation_key")),
        ("name", "Ada Lovelace"),
    ]);
    let form_headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Cookie", &session),
    ];

    // A third instance configured with another secret cannot read A's session cookie.
    let mut stranger = AppProcess::spawn_with_secret(PEOPLE, &db.url, OTHER_SECRET_KEY);
    stranger.wait_until_healthy();
    let refused = stranger
        .request("POST", "/people", &form_headers, Some(&body))
        .expect("post to C");
    assert_eq!(refused.status, 403, "{}", refused.body);

    let created = b
        .request("POST", "/people", &form_headers, Some(&body))
        .expect("post to B");
    assert_eq!(created.status, 303, "{}", created.body);
    let location = created.header("Location").expect("a redirect").to_owned();
    let cookies = format!("{session}; {}", created.cookies());
    let shown = a
        .request("GET", &location, &[("Cookie", &cookies)], None)
        .expect("show on A");
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("Added Ada Lovelace"), "{}", shown.body);
    assert!(shown.body.contains("<h1>Ada Lovelace</h1>"));
}
