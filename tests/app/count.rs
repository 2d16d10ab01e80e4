//! The number of people on the list ("3 people", "1,000+ people") is kept by the database
//! (`person_count`, changed by triggers in each write's own transaction), not counted per
//! page nor cached by an instance: so it is right at once after creates and deletes made by
//! another instance of the app on the same database, through any route, concurrently, and on
//! a database that already had people when it was upgraded. The number of people in the
//! trash is kept the same way, in the same row.

use rocket::futures::future::join_all;
use rocket::http::{Method, Status};
use serde_json::json;

use people_test_harness::{TestApp, TestDatabase, backend_tests};

backend_tests!(
    the_count_is_right_after_creates_and_deletes_by_another_instance,
    the_count_crosses_the_cap_both_ways_while_another_instance_writes,
    concurrent_creates_and_deletes_on_two_instances_leave_the_count_exact,
    the_trash_count_follows_deletes_restores_and_deletes_forever_by_another_instance,
);

/// A second instance of the app on `app`'s database, as a second server process would be.
async fn other_instance(app: &TestApp) -> TestApp {
    TestApp::launch(TestDatabase::Url(app.db.url())).await
}

/// The count as the list shows it. One person a page, so that the page never holds every
/// match (when it does, the list counts its own rows and reads no count at all).
async fn shown_count(app: &TestApp) -> String {
    let page = app.get("/people?per_page=1").await;
    page.assert_html(Status::Ok);
    let (_, rest) = page
        .body
        .split_once(r#"<p class="match-count">"#)
        .unwrap_or_else(|| panic!("a count on the list: {}", page.body));
    rest.split_once("</p>")
        .map_or(rest, |(count, _)| count)
        .to_owned()
}

async fn the_count_is_right_after_creates_and_deletes_by_another_instance(app: TestApp) {
    let other = other_instance(&app).await;
    app.insert_people(&["Ada Lovelace", "Grace Hopper"]).await;
    assert_eq!(shown_count(&app).await, "2 people");
    assert_eq!(shown_count(&other).await, "2 people");

    let alan = other.create_person("Alan Turing").await;
    assert_eq!(shown_count(&app).await, "3 people");
    let katherine = other.api_post(&json!({"name": "Katherine Johnson"})).await;
    let katherine = katherine.assert_json(Status::Created)["id"]
        .as_i64()
        .expect("an id");
    assert_eq!(shown_count(&app).await, "4 people");

    other
        .post_form(&format!("/people/{alan}"), &[("_method", "delete")])
        .await
        .assert_redirect("/people");
    assert_eq!(shown_count(&app).await, "3 people");
    other
        .api_send(
            Method::Delete,
            &format!("/api/people/{katherine}"),
            &json!({}),
        )
        .await;
    assert_eq!(shown_count(&app).await, "2 people");
    // An edit is neither: the count stays.
    other.put_person(1, "Ada King").await;
    assert_eq!(shown_count(&app).await, "2 people");
}

async fn the_count_crosses_the_cap_both_ways_while_another_instance_writes(app: TestApp) {
    let other = other_instance(&app).await;
    let names: Vec<String> = (0..1000).map(|i| format!("Person {i:04}")).collect();
    app.insert_people(&names).await;
    assert_eq!(shown_count(&app).await, "1,000 people");
    let id = other.create_person("One Too Many").await;
    assert_eq!(shown_count(&app).await, "1,000+ people");
    app.get("/people").await.assert_contains("1,000+ people");
    other
        .post_form(&format!("/people/{id}"), &[("_method", "delete")])
        .await;
    assert_eq!(shown_count(&app).await, "1,000 people");
    app.get("/people").await.assert_contains("1,000 people");
}

async fn concurrent_creates_and_deletes_on_two_instances_leave_the_count_exact(app: TestApp) {
    let other = other_instance(&app).await;
    let names: Vec<String> = (0..40).map(|i| format!("Person {i:02}")).collect();
    let creates = names.iter().enumerate().map(|(i, name)| {
        let instance = if i % 2 == 0 { &app } else { &other };
        async move { instance.post_form("/people", &[("name", name)]).await }
    });
    for page in join_all(creates).await {
        assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    }
    assert_eq!(shown_count(&app).await, "40 people");
    let deletes = (1..=15).map(|id| {
        let instance = if id % 2 == 0 { &app } else { &other };
        let uri = format!("/people/{id}");
        async move { instance.post_form(&uri, &[("_method", "delete")]).await }
    });
    join_all(deletes).await;
    assert_eq!(shown_count(&other).await, "25 people");
    assert_eq!(other.listed_names().await.len(), 25);
}

/// "N people in the trash" on the list, or None when the trash is empty.
async fn shown_trash(app: &TestApp) -> Option<String> {
    let page = app.get("/people?per_page=1").await;
    page.assert_html(Status::Ok);
    let (_, rest) = page.body.split_once("</a>: ")?;
    rest.split_once("</p>").map(|(text, _)| text.to_owned())
}

async fn the_trash_count_follows_deletes_restores_and_deletes_forever_by_another_instance(
    app: TestApp,
) {
    let other = other_instance(&app).await;
    app.insert_people(&["Ada Lovelace", "Grace Hopper", "Alan Turing"])
        .await;
    assert_eq!(shown_trash(&app).await, None);
    for id in [1, 2] {
        other
            .post_form(&format!("/people/{id}"), &[("_method", "delete")])
            .await
            .assert_redirect("/people");
    }
    assert_eq!(
        shown_trash(&app).await.as_deref(),
        Some("2 people in the trash")
    );
    assert_eq!(shown_count(&app).await, "1 person");
    other
        .api_send(Method::Delete, "/api/people/3", &json!({}))
        .await;
    assert_eq!(
        shown_trash(&app).await.as_deref(),
        Some("3 people in the trash")
    );
    let restored = other
        .api_send(Method::Post, "/api/people/1/restore", &json!({}))
        .await;
    restored.assert_json(Status::Ok);
    assert_eq!(
        shown_trash(&app).await.as_deref(),
        Some("2 people in the trash")
    );
    other
        .api_send(Method::Delete, "/api/people/trash/2", &json!({}))
        .await;
    assert_eq!(
        shown_trash(&app).await.as_deref(),
        Some("1 person in the trash")
    );
    other
        .api_send(Method::Delete, "/api/people/trash/3", &json!({}))
        .await;
    assert_eq!(shown_trash(&app).await, None);
    assert_eq!(shown_count(&app).await, "1 person");
}
