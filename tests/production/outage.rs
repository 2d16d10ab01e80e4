//! PostgreSQL going away and coming back while the app runs, and being away at launch.

use std::future::Future;
use std::time::Duration;

use rocket::http::{ContentType, Status};

use people_test_harness::{AppProcess, Page, TestApp, TestDatabase, figment, free_port};

use crate::PEOPLE;
use crate::cluster::PgCluster;

/// A bound against hanging, far above the 2 s connect timeout: not a speed assertion.
async fn within_bound<T>(request: impl Future<Output = T>) -> T {
    rocket::tokio::time::timeout(Duration::from_secs(30), request)
        .await
        .expect("the app answered instead of hanging")
}

#[rocket::async_test]
async fn pages_answer_503_while_postgres_is_down_and_serve_again_when_it_is_back() {
    let test = "production::outage::pages_answer_503_while_postgres_is_down_and_serve_again";
    let Some((cluster, _)) = PgCluster::start(test, false) else {
        return;
    };
    cluster.create_database("people");
    let url = cluster.url("people");
    let app = TestApp::launch_with(
        TestDatabase::Url(url.clone()),
        figment(&url).merge(("databases.people.connect_timeout", 2)),
    )
    .await;
    let id = app.create_person("Ada Lovelace").await;

    cluster.stop();
    for uri in [
        "/people",
        &format!("/people/{id}"),
        &format!("/people/{id}/edit"),
    ] {
        let page: Page = within_bound(app.get(uri)).await;
        page.assert_html(Status::ServiceUnavailable)
            .assert_contains("<h1>Temporarily unavailable</h1>");
    }
    within_bound(app.post_form("/people", &[("name", "Grace Hopper")]))
        .await
        .assert_html(Status::ServiceUnavailable);
    let health = within_bound(app.client.get("/health").dispatch()).await;
    assert_eq!(health.status(), Status::ServiceUnavailable);
    assert_eq!(health.content_type(), Some(ContentType::JSON));

    cluster.pg_ctl_start();
    let health = within_bound(app.client.get("/health").dispatch()).await;
    assert_eq!(health.status(), Status::Ok);
    within_bound(app.get(&format!("/people/{id}")))
        .await
        .assert_html(Status::Ok)
        .assert_contains("<h1>Ada Lovelace</h1>");
    assert_eq!(
        app.listed_names().await,
        ["Ada Lovelace"],
        "the refused create changed nothing"
    );
}

#[test]
fn started_while_postgres_is_down_it_says_so_in_one_line_and_exits_non_zero() {
    let nobody_listens = format!("postgres://postgres@127.0.0.1:{}/people", free_port());
    let (status, log) = AppProcess::spawn(PEOPLE, &nobody_listens).wait_for_exit();
    assert!(!status.success(), "{status}: {log}");
    let reasons: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("cannot start"))
        .collect();
    assert_eq!(reasons.len(), 1, "one line says why:\n{log}");
    assert!(
        reasons[0].contains("is not answering") && reasons[0].contains("refused"),
        "{log}"
    );
}

#[test]
fn a_release_build_without_a_secret_key_refuses_to_start_and_says_what_to_set() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("people.db").display());
    let (status, log) = AppProcess::spawn_configured(PEOPLE, &url, None, "release").wait_for_exit();
    assert!(!status.success(), "{status}: {log}");
    let reasons: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("cannot start"))
        .collect();
    assert_eq!(reasons.len(), 1, "{log}");
    assert!(reasons[0].contains("ROCKET_SECRET_KEY"), "{log}");
}
