//! Each person's history (issue 14): every create, rename, delete and restore, whoever made
//! it (the forms, the API, a CSV import), on the person page newest first and as JSON.

use rocket::http::{Method, Status};
use serde_json::{Value, json};

use people_test_harness::{TestApp, backend_tests};

backend_tests!(
    every_kind_of_change_is_recorded_newest_first,
    api_creates_and_renames_are_recorded_too,
    imported_people_have_their_create,
    a_save_that_changes_nothing_records_nothing,
);

/// `(kind, before, after, version)` of each entry, newest first.
async fn history(app: &TestApp, id: i32) -> Vec<(String, Value, Value, i64)> {
    let answer = app.api_get(&format!("/api/people/{id}/history")).await;
    answer.assert_json(Status::Ok)["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(e["at"].as_str().unwrap().ends_with('Z'), "{e}");
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["name_before"].clone(),
                e["name_after"].clone(),
                e["version"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn entry(
    kind: &str,
    before: Option<&str>,
    after: Option<&str>,
    version: i64,
) -> (String, Value, Value, i64) {
    (kind.to_owned(), json!(before), json!(after), version)
}

async fn every_kind_of_change_is_recorded_newest_first(app: TestApp) {
    let id = app.create_person("Ada Byron").await;
    app.put_person(id, "Ada Lovelace").await;
    app.post_form(&format!("/people/{id}"), &[("_method", "delete")])
        .await;
    // The history of someone in the trash can still be read.
    assert_eq!(history(&app, id).await.len(), 3);
    app.post_form(&format!("/people/{id}/restore"), &[]).await;
    assert_eq!(
        history(&app, id).await,
        [
            entry("restore", Some("Ada Lovelace"), Some("Ada Lovelace"), 3),
            entry("delete", Some("Ada Lovelace"), None, 2),
            entry("rename", Some("Ada Byron"), Some("Ada Lovelace"), 2),
            entry("create", None, Some("Ada Byron"), 1),
        ]
    );
    let page = app.get(&format!("/people/{id}")).await;
    page.assert_html(Status::Ok)
        .assert_contains("<h2>History</h2>")
        .assert_contains("<li>Renamed from Ada Byron to Ada Lovelace, <time datetime=\"")
        .assert_contains(" UTC</time></li>");
    let lines: Vec<usize> = [
        "Restored as Ada Lovelace",
        "Moved to the trash as Ada Lovelace",
        "Renamed from Ada Byron to Ada Lovelace",
        "Added as Ada Byron",
    ]
    .iter()
    .map(|line| {
        page.body
            .find(line)
            .unwrap_or_else(|| panic!("{line}: {}", page.body))
    })
    .collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "newest first");
}

async fn api_creates_and_renames_are_recorded_too(app: TestApp) {
    let created = app.api_post(&json!({"name": "Grace Brewster"})).await;
    let id = created.json["id"].as_i64().unwrap() as i32;
    app.api_save(id, "Grace Hopper", 1).await;
    app.api(Method::Delete, &format!("/api/people/{id}"), None, None)
        .await;
    app.api(
        Method::Post,
        &format!("/api/people/{id}/restore"),
        None,
        None,
    )
    .await;
    assert_eq!(
        history(&app, id).await,
        [
            entry("restore", Some("Grace Hopper"), Some("Grace Hopper"), 3),
            entry("delete", Some("Grace Hopper"), None, 2),
            entry("rename", Some("Grace Brewster"), Some("Grace Hopper"), 2),
            entry("create", None, Some("Grace Brewster"), 1),
        ]
    );
}

async fn imported_people_have_their_create(app: TestApp) {
    let preview = app.upload_import(b"name\nAlan Turing\n").await;
    app.confirm_import(&preview)
        .await
        .assert_redirect("/people");
    let id = app.api_get("/api/people").await.json["people"][0]["id"]
        .as_i64()
        .unwrap() as i32;
    assert_eq!(
        history(&app, id).await,
        [entry("create", None, Some("Alan Turing"), 1)]
    );
}

async fn a_save_that_changes_nothing_records_nothing(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    app.put_person(id, "Ada Lovelace").await;
    assert_eq!(history(&app, id).await.len(), 1);
}
