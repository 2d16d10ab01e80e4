//! Launching: migrations on an empty database, a second launch on a migrated one, and a
//! clear refusal of a bad database URL.

use people::build;
use rocket::http::Status;
use rocket::local::asynchronous::Client;

use people_test_harness::{TestApp, TestDatabase, TestPostgres, backend_tests, figment};

backend_tests!(
    migrations_create_the_schema_on_an_empty_database,
    a_second_launch_on_a_migrated_database_keeps_the_data,
);

async fn migrations_create_the_schema_on_an_empty_database(app: TestApp) {
    app.get("/people")
        .await
        .assert_html(Status::Ok)
        .assert_contains("No people yet.");
    app.create_person("Ada Lovelace").await;
}

async fn a_second_launch_on_a_migrated_database_keeps_the_data(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let app = app.restart().await;
    app.get(&format!("/people/{id}"))
        .await
        .assert_contains("<h1>Ada Lovelace</h1>");
    app.create_person("Grace Hopper").await;
    assert_eq!(app.listed_names().await, ["Ada Lovelace", "Grace Hopper"]);
}

#[rocket::async_test]
async fn an_unsupported_database_url_refuses_to_launch() {
    for url in ["mysql://root@localhost/people", "sqlite::memory:", ""] {
        let error = launch_error(url).await;
        assert!(error.contains("fairing"), "{url:?}: {error}");
    }
}

#[rocket::async_test]
async fn an_sqlite_file_in_a_missing_directory_refuses_to_launch() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = dir.path().join("no/such/dir/people.db");
    let error = launch_error(&url.display().to_string()).await;
    assert!(error.contains("fairing"), "{error}");
}

/// Rocket's launch error panics if dropped unread: reading it as text marks it handled.
async fn launch_error(url: &str) -> String {
    match Client::tracked(build(figment(url))).await {
        Ok(_) => panic!("{url:?} should not launch"),
        Err(error) => error.to_string(),
    }
}

/// A database made by the first release (only the first migration), holding names that
/// differ only in case, which that schema allowed.
const LEGACY_ROWS: &str =
    "INSERT INTO person (name) VALUES ('Ada Lovelace'), ('ada lovelace'), ('Grace Hopper')";

async fn upgraded_legacy_data_keeps_every_row_and_treats_names_case_blind(app: TestApp) {
    let mut names = app.listed_names().await;
    names.sort();
    assert_eq!(names, ["Ada Lovelace", "Grace Hopper", "ada lovelace"]);
    for taken in ["ADA LOVELACE", "grace hopper"] {
        let page = app.post_form("/people", &[("name", taken)]).await;
        page.assert_html(Status::UnprocessableEntity);
    }
    app.create_person("Ada Byron").await;
}

fn first_migration_only(backend: &str) -> diesel_migrations::FileBasedMigrations {
    let dir = format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
    diesel_migrations::FileBasedMigrations::from_path(dir).expect("the migrations folder")
}

#[rocket::async_test]
async fn sqlite_data_from_the_first_release_is_upgraded_in_place() {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, SqliteConnection};
    use diesel_migrations::MigrationHarness;

    let db = TestDatabase::sqlite();
    let url = db.url();
    let path = url.trim_start_matches("sqlite://");
    let mut conn = SqliteConnection::establish(path).expect("create the file");
    conn.run_next_migration(first_migration_only("sqlite"))
        .expect("the first migration");
    conn.batch_execute(LEGACY_ROWS).expect("legacy rows");
    drop(conn);
    upgraded_legacy_data_keeps_every_row_and_treats_names_case_blind(TestApp::launch(db).await)
        .await;
}

#[rocket::async_test]
async fn postgres_data_from_the_first_release_is_upgraded_in_place() {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    use diesel_async::AsyncPgConnection;
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    use diesel_migrations::MigrationHarness;

    let test = "app::launch::postgres_data_from_the_first_release_is_upgraded_in_place";
    let Some(db) = TestPostgres::create(test).await else {
        return;
    };
    let url = db.url.clone();
    rocket::tokio::task::spawn_blocking(move || {
        let mut conn =
            AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url).expect("connect");
        conn.run_next_migration(first_migration_only("postgres"))
            .expect("the first migration");
        conn.batch_execute(LEGACY_ROWS).expect("legacy rows");
    })
    .await
    .expect("the legacy database");
    let app = TestApp::launch(TestDatabase::Postgres(db)).await;
    upgraded_legacy_data_keeps_every_row_and_treats_names_case_blind(app).await;
}
