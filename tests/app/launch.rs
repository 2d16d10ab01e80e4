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

/// A backend's migrations folder; `run_next_migration` applies them one release at a time.
fn migrations(backend: &str) -> diesel_migrations::FileBasedMigrations {
    let dir = format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
    diesel_migrations::FileBasedMigrations::from_path(dir).expect("the migrations folder")
}

/// A SQLite file as an older release left it: its first `releases` migrations applied, then
/// `rows` (SQL) written.
fn older_sqlite_database(releases: usize, rows: &str) -> TestDatabase {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, SqliteConnection};
    use diesel_migrations::MigrationHarness;

    let db = TestDatabase::sqlite();
    let url = db.url();
    let mut conn =
        SqliteConnection::establish(url.trim_start_matches("sqlite://")).expect("create the file");
    for _ in 0..releases {
        conn.run_next_migration(migrations("sqlite"))
            .expect("an older release's migration");
    }
    conn.batch_execute(rows).expect("an older release's rows");
    db
}

/// `older_sqlite_database` on PostgreSQL; `None` (SKIPPED) without a server.
async fn older_postgres_database(test: &str, releases: usize, rows: &str) -> Option<TestDatabase> {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    use diesel_async::AsyncPgConnection;
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    use diesel_migrations::MigrationHarness;

    let db = TestPostgres::create(test).await?;
    let (url, rows) = (db.url.clone(), rows.to_owned());
    rocket::tokio::task::spawn_blocking(move || {
        let mut conn =
            AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url).expect("connect");
        for _ in 0..releases {
            conn.run_next_migration(migrations("postgres"))
                .expect("an older release's migration");
        }
        conn.batch_execute(&rows).expect("an older release's rows");
    })
    .await
    .expect("the older database");
    Some(TestDatabase::Postgres(db))
}

#[rocket::async_test]
async fn sqlite_data_from_the_first_release_is_upgraded_in_place() {
    let db = older_sqlite_database(1, LEGACY_ROWS);
    upgraded_legacy_data_keeps_every_row_and_treats_names_case_blind(TestApp::launch(db).await)
        .await;
}

#[rocket::async_test]
async fn postgres_data_from_the_first_release_is_upgraded_in_place() {
    let test = "app::launch::postgres_data_from_the_first_release_is_upgraded_in_place";
    let Some(db) = older_postgres_database(test, 1, LEGACY_ROWS).await else {
        return;
    };
    upgraded_legacy_data_keeps_every_row_and_treats_names_case_blind(TestApp::launch(db).await)
        .await;
}

/// A SQLite file as the release before AUTOINCREMENT left it, with keyed rows, versions and
/// creation keys: the rebuild keeps them all, ids included, and the indexes.
#[rocket::async_test]
async fn sqlite_rows_survive_the_table_rebuild_and_ids_are_never_reused_after_it() {
    let db = older_sqlite_database(
        2,
        "INSERT INTO person (name, name_key, version, creation_key) VALUES \
         ('Ada Lovelace', 'ada lovelace', 3, NULL), \
         ('Grace Hopper', 'grace hopper', 1, '0123456789abcdef0123456789abcdef'), \
         ('Alan Turing', 'alan turing', 1, NULL)",
    );
    let app = TestApp::launch(db).await;
    let ada = app.api_get("/api/people/1").await;
    assert_eq!(
        ada.assert_json(Status::Ok),
        &serde_json::json!({"id": 1, "name": "Ada Lovelace", "version": 3})
    );
    assert_eq!(
        app.listed_names().await,
        ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    );
    // The indexes came through the rebuild: names and creation keys are still unique.
    app.post_form("/people", &[("name", "ADA LOVELACE")])
        .await
        .assert_html(Status::UnprocessableEntity);
    let replay = [
        ("creation_key", "0123456789abcdef0123456789abcdef"),
        ("name", "Grace Hopper"),
    ];
    app.post_form("/people", &replay)
        .await
        .assert_redirect("/people/2");

    let katherine = app.create_person("Katherine Johnson").await;
    assert_eq!(katherine, 4);
    app.post_form("/people/4", &[("_method", "delete")]).await;
    assert_eq!(app.create_person("Margaret Hamilton").await, 5);
}

/// Rows from the first release, keyed by the upgrade with `lower(name)`: names with runs of
/// spaces, composed differently, or with a zero-width space.
const LEGACY_UNKEYED_ROWS: &str = "INSERT INTO person (name) VALUES \
     ('Ada  Lovelace'), ('Zoe\u{308} Smith'), ('Grace\u{200B}Hopper'), (' Alan Turing')";

async fn legacy_names_get_the_apps_keys_and_page_through(app: TestApp) {
    for taken in ["Ada Lovelace", "Zoë Smith", "GraceHopper", "Alan Turing"] {
        let page = app.post_form("/people", &[("name", taken)]).await;
        assert_eq!(page.status, Status::UnprocessableEntity, "{taken}");
        page.assert_contains("is already taken.");
    }
    // The names themselves are kept as they were; paging one at a time passes every one of
    // them in a cursor.
    let mut seen = Vec::new();
    let mut uri = Some("/people?per_page=1".to_owned());
    while let Some(next) = uri {
        let page = app.get(&next).await;
        page.assert_html(Status::Ok);
        seen.extend(page.names());
        uri = page.link("next");
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
    let mut next = Some("/api/people?per_page=1".to_owned());
    let mut count = 0;
    while let Some(uri) = next {
        let response = app.api_get(&uri).await;
        count += response.names().len();
        next = response.json["next"].as_str().map(str::to_owned);
    }
    assert_eq!(count, 4);
}

#[rocket::async_test]
async fn sqlite_legacy_names_are_rekeyed_by_the_apps_rule() {
    let db = older_sqlite_database(1, LEGACY_UNKEYED_ROWS);
    legacy_names_get_the_apps_keys_and_page_through(TestApp::launch(db).await).await;
}

#[rocket::async_test]
async fn postgres_legacy_names_are_rekeyed_by_the_apps_rule() {
    let test = "app::launch::postgres_legacy_names_are_rekeyed_by_the_apps_rule";
    let Some(db) = older_postgres_database(test, 1, LEGACY_UNKEYED_ROWS).await else {
        return;
    };
    legacy_names_get_the_apps_keys_and_page_through(TestApp::launch(db).await).await;
}

/// The people already there when the count table arrives are counted by its migration.
const ROWS_BEFORE_THE_COUNT: &str = "INSERT INTO person (name, name_key) VALUES \
     ('Ada Lovelace', 'ada lovelace'), ('Grace Hopper', 'grace hopper'), \
     ('Alan Turing', 'alan turing')";
/// Releases before the one that added `person_count` (the search index is the 7th).
const RELEASES_BEFORE_THE_COUNT: usize = 7;

async fn people_from_before_the_count_are_counted(app: TestApp) {
    let page = app.get("/people?per_page=1").await;
    page.assert_contains(r#"<p class="match-count">3 people</p>"#);
    app.create_person("Katherine Johnson").await;
    let page = app.get("/people?per_page=1").await;
    page.assert_contains(r#"<p class="match-count">4 people</p>"#);
}

#[rocket::async_test]
async fn sqlite_people_from_before_the_count_are_counted() {
    let db = older_sqlite_database(RELEASES_BEFORE_THE_COUNT, ROWS_BEFORE_THE_COUNT);
    people_from_before_the_count_are_counted(TestApp::launch(db).await).await;
}

#[rocket::async_test]
async fn postgres_people_from_before_the_count_are_counted() {
    let test = "app::launch::postgres_people_from_before_the_count_are_counted";
    let older = older_postgres_database(test, RELEASES_BEFORE_THE_COUNT, ROWS_BEFORE_THE_COUNT);
    let Some(db) = older.await else {
        return;
    };
    people_from_before_the_count_are_counted(TestApp::launch(db).await).await;
}

/// People already in the trash when the trash count arrives are counted by its migration.
const TRASH_BEFORE_THE_TRASH_COUNT: &str = "INSERT INTO person (name, name_key) VALUES \
     ('Grace Hopper', 'grace hopper'); \
     INSERT INTO person_trash (id, name, name_key, version, deleted_at) VALUES \
     (7, 'Ada Lovelace', 'ada lovelace', 1, CURRENT_TIMESTAMP), \
     (8, 'Alan Turing', 'alan turing', 2, CURRENT_TIMESTAMP)";
/// Releases before the one that added `person_count.trashed`.
const RELEASES_BEFORE_THE_TRASH_COUNT: usize = 9;

async fn people_in_the_trash_before_the_count_are_counted(app: TestApp) {
    let page = app.get("/people").await;
    page.assert_contains("2 people in the trash");
    page.assert_contains(r#"<p class="match-count">1 person</p>"#);
    app.post_form("/people/7/restore", &[]).await;
    app.get("/people")
        .await
        .assert_contains("1 person in the trash");
}

#[rocket::async_test]
async fn sqlite_people_in_the_trash_before_the_count_are_counted() {
    let db = older_sqlite_database(
        RELEASES_BEFORE_THE_TRASH_COUNT,
        TRASH_BEFORE_THE_TRASH_COUNT,
    );
    people_in_the_trash_before_the_count_are_counted(TestApp::launch(db).await).await;
}

#[rocket::async_test]
async fn postgres_people_in_the_trash_before_the_count_are_counted() {
    let test = "app::launch::postgres_people_in_the_trash_before_the_count_are_counted";
    let rows = TRASH_BEFORE_THE_TRASH_COUNT;
    let older = older_postgres_database(test, RELEASES_BEFORE_THE_TRASH_COUNT, rows);
    let Some(db) = older.await else {
        return;
    };
    people_in_the_trash_before_the_count_are_counted(TestApp::launch(db).await).await;
}

/// Rows as the release before the search index left them (its last migration applied): the
/// upgrade indexes them, so they are found anywhere in their names, and sorts them by key.
const ROWS_BEFORE_THE_SEARCH_INDEX: &str = "INSERT INTO person (name, name_key) VALUES \
    ('Alan Turing', 'alan turing'), ('ZOË Smith', 'zoë smith'), ('adele', 'adele'), \
    ('Ada Lovelace', 'ada lovelace'), ('100% _Real_', '100% _real_')";

async fn rows_from_before_the_search_index_are_found_and_sorted_by_key(app: TestApp) {
    assert_eq!(
        app.listed_names().await,
        [
            "100% _Real_",
            "Ada Lovelace",
            "adele",
            "Alan Turing",
            "ZOË Smith"
        ]
    );
    assert_eq!(app.get("/people?q=zo%C3%AB").await.names(), ["ZOË Smith"]);
    assert_eq!(app.get("/people?q=TURING").await.names(), ["Alan Turing"]);
    assert_eq!(app.get("/people?q=%25%20_r").await.names(), ["100% _Real_"]);
    // The index keeps up with writes after the upgrade.
    app.create_person("Grace Turing").await;
    assert_eq!(
        app.get("/people?q=turing").await.names(),
        ["Alan Turing", "Grace Turing"]
    );
}

/// Main's migrations before the search index (the index is the 7th).
const RELEASES_BEFORE_THE_SEARCH_INDEX: usize = 6;

#[rocket::async_test]
async fn sqlite_rows_from_before_the_search_index_are_indexed_by_the_upgrade() {
    let db = older_sqlite_database(
        RELEASES_BEFORE_THE_SEARCH_INDEX,
        ROWS_BEFORE_THE_SEARCH_INDEX,
    );
    rows_from_before_the_search_index_are_found_and_sorted_by_key(TestApp::launch(db).await).await;
}

#[rocket::async_test]
async fn postgres_rows_from_before_the_search_index_are_indexed_by_the_upgrade() {
    let test = "app::launch::postgres_rows_from_before_the_search_index_are_indexed_by_the_upgrade";
    let rows = ROWS_BEFORE_THE_SEARCH_INDEX;
    let Some(db) = older_postgres_database(test, RELEASES_BEFORE_THE_SEARCH_INDEX, rows).await
    else {
        return;
    };
    rows_from_before_the_search_index_are_found_and_sorted_by_key(TestApp::launch(db).await).await;
}
