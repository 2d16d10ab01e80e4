//! Launching: migrations on an empty database, a second launch on a migrated one, and a
//! clear refusal of a bad database URL.

use people::build;
use rocket::http::Status;
use rocket::local::asynchronous::Client;

use crate::backend_tests;
use crate::support::{TestApp, figment};

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
