//! Parallel requests: creates, duplicate names, and edits racing deletes. No 5xx, and never
//! "database is locked" (that would be a 500) on SQLite.

use std::collections::HashSet;

use rocket::futures::future::join_all;
use rocket::http::Status;

use people_test_harness::{TestApp, backend_tests};

backend_tests!(
    distinct_creates_at_once_all_succeed,
    the_same_name_created_16_times_at_once_gives_one_person_and_15_clear_422s,
    case_variants_created_at_once_give_one_person,
    updates_racing_deletes_give_success_or_404_never_a_server_error,
);

async fn distinct_creates_at_once_all_succeed(app: TestApp) {
    let names: Vec<String> = (0..32).map(|i| format!("Person {i:02}")).collect();
    let app = &app;
    let pages = join_all(
        names
            .iter()
            .map(|name| async move { app.post_form("/people", &[("name", name.as_str())]).await }),
    )
    .await;
    for page in &pages {
        assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    }
    let locations: HashSet<_> = pages.iter().map(|p| p.location.clone()).collect();
    assert_eq!(locations.len(), 32, "each create made its own person");
    assert_eq!(app.count().await, 32);
}

async fn the_same_name_created_16_times_at_once_gives_one_person_and_15_clear_422s(app: TestApp) {
    let pages =
        join_all((0..16).map(|_| app.post_form("/people", &[("name", "Ada Lovelace")]))).await;
    let created = pages
        .iter()
        .filter(|p| p.status == Status::SeeOther)
        .count();
    let refused: Vec<_> = pages
        .iter()
        .filter(|p| p.status == Status::UnprocessableEntity)
        .collect();
    assert_eq!(
        (created, refused.len()),
        (1, 15),
        "{:?}",
        pages.iter().map(|p| p.status).collect::<Vec<_>>()
    );
    for page in refused {
        page.assert_contains("Ada Lovelace is already taken.");
    }
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn case_variants_created_at_once_give_one_person(app: TestApp) {
    let variants = [
        "Grace Hopper",
        "grace hopper",
        "GRACE HOPPER",
        "Grace  Hopper",
        "gRACE hOPPER",
    ];
    let app = &app;
    let pages = join_all(
        variants
            .iter()
            .map(|name| async move { app.post_form("/people", &[("name", name)]).await }),
    )
    .await;
    let created = pages
        .iter()
        .filter(|p| p.status == Status::SeeOther)
        .count();
    assert_eq!(created, 1);
    assert!(
        pages
            .iter()
            .all(|p| p.status.code == 303 || p.status.code == 422)
    );
    assert_eq!(app.count().await, 1);
}

async fn updates_racing_deletes_give_success_or_404_never_a_server_error(app: TestApp) {
    let mut ids = Vec::new();
    for i in 0..8 {
        ids.push(app.create_person(&format!("Racer {i}")).await);
    }
    let mut versions = Vec::new();
    for id in &ids {
        versions.push(app.edit_form_version(*id).await);
    }
    let app = &app;
    let races = ids.iter().zip(&versions).map(|(id, version)| async move {
        let uri = format!("/people/{id}");
        let renamed = format!("Renamed {id}");
        let (updated, deleted) = rocket::tokio::join!(
            app.put_person_at(*id, version, &renamed),
            app.post_form(&uri, &[("_method", "delete")]),
        );
        (updated.status.code, deleted.status.code)
    });
    for (updated, deleted) in join_all(races).await {
        assert!(matches!(updated, 303 | 404), "update answered {updated}");
        assert_eq!(
            deleted, 303,
            "the delete always finds the person: nothing else deletes it"
        );
    }
    assert_eq!(app.count().await, 0);
}
