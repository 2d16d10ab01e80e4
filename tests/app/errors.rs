//! Unknown and malformed addresses: a styled 404 page of ours, and nothing changed.

use rocket::http::Status;

use people_test_harness::{TestApp, backend_tests};

backend_tests!(
    unknown_and_malformed_ids_are_styled_404s,
    editing_a_missing_person_is_404,
    deleting_a_missing_person_is_404,
    deleting_twice_is_404_the_second_time,
    unknown_route_is_a_styled_404,
    unreadable_form_body_is_a_styled_client_error,
);

async fn unknown_and_malformed_ids_are_styled_404s(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    for uri in [
        "/people/999999",
        "/people/0",
        "/people/-1",
        "/people/abc",
        "/people/1.5",
        "/people/99999999999",
        "/people/-1/edit",
        "/people/abc/edit",
        "/people/99999999999999999999/delete",
        "/people/1/nonsense",
    ] {
        app.get(uri)
            .await
            .assert_html(Status::NotFound)
            .assert_contains("<h1>Page not found</h1>");
    }
}

async fn editing_a_missing_person_is_404(app: TestApp) {
    app.put_person_at(999999, "1", "Nobody")
        .await
        .assert_html(Status::NotFound);
    app.post_form(
        "/people/abc",
        &[("_method", "put"), ("version", "1"), ("name", "Nobody")],
    )
    .await
    .assert_html(Status::NotFound);
    // An invalid name for a missing person: the missing person is what the user needs to know.
    app.put_person_at(999999, "1", "")
        .await
        .assert_html(Status::NotFound);
    assert!(app.listed_names().await.is_empty());
}

async fn deleting_a_missing_person_is_404(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    for uri in ["/people/999999", "/people/abc", "/people/-1"] {
        app.post_form(uri, &[("_method", "delete")])
            .await
            .assert_html(Status::NotFound);
    }
    app.get("/people/999999/delete")
        .await
        .assert_html(Status::NotFound);
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn deleting_twice_is_404_the_second_time(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let uri = format!("/people/{id}");
    app.post_form(&uri, &[("_method", "delete")])
        .await
        .assert_redirect("/people");
    app.post_form(&uri, &[("_method", "delete")])
        .await
        .assert_html(Status::NotFound);
}

async fn unknown_route_is_a_styled_404(app: TestApp) {
    app.get("/nowhere").await.assert_html(Status::NotFound);
    app.get("/static/missing.css")
        .await
        .assert_html(Status::NotFound);
}

async fn unreadable_form_body_is_a_styled_client_error(app: TestApp) {
    let response = app
        .client
        .post("/people")
        .header(rocket::http::ContentType::Form)
        .body(vec![b'n', b'a', b'm', b'e', b'=', 0xff, 0xfe])
        .dispatch()
        .await;
    let status = response.status();
    let body = response.into_string().await.unwrap_or_default();
    assert!(status.class().is_client_error(), "{status}: {body}");
    assert!(body.starts_with("<!doctype html>"), "{body}");
    assert!(app.listed_names().await.is_empty());
}
