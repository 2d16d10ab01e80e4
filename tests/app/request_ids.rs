//! `X-Request-Id`: on every response, pages, API, files and errors alike; an incoming sane id
//! kept, anything else replaced; and on the error pages, for a user to quote.

use std::collections::HashSet;

use rocket::http::Status;

use people::request_id::RequestId;
use people_test_harness::{Page, TestApp, backend_tests};

backend_tests!(
    every_response_carries_its_own_request_id,
    a_sane_incoming_id_is_kept_and_any_other_replaced,
    error_pages_show_the_request_id,
);

fn request_id(uri: &str, page: &Page) -> String {
    let id = page
        .request_id
        .clone()
        .unwrap_or_else(|| panic!("{uri} ({}): no X-Request-Id", page.status));
    assert!(RequestId::parse(&id).is_some(), "{uri}: {id:?}");
    id
}

async fn every_response_carries_its_own_request_id(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let mut seen = HashSet::new();
    for uri in [
        "/",
        "/people",
        &format!("/people/{id}"),
        &format!("/people/{id}/edit"),
        "/people/999999",
        "/people/abc",
        "/people?sort=nonsense",
        "/nowhere",
        "/static/style.css",
        "/health",
        "/api/people",
        &format!("/api/people/{id}"),
        "/api/people/999999",
        "/api/nowhere",
    ] {
        let page = app.get(uri).await;
        assert!(seen.insert(request_id(uri, &page)), "{uri}: an id twice");
    }
    // A refused form (no CSRF token) and a redirect after a save.
    let forged = app.post_raw("/people", "name=Eve", &[]).await;
    assert_eq!(forged.status, Status::Forbidden);
    assert!(seen.insert(request_id("forged POST", &forged)));
    let saved = app.put_person(id, "Ada King").await;
    assert_eq!(saved.status, Status::SeeOther);
    assert!(seen.insert(request_id("PUT", &saved)));
}

async fn a_sane_incoming_id_is_kept_and_any_other_replaced(app: TestApp) {
    for sane in [
        "3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b",
        "Root=1-5759e988-bd862e3fe1be46a994272793",
        &"x".repeat(200),
    ] {
        let page = app.get_with("/people", &[("X-Request-Id", sane)]).await;
        assert_eq!(page.request_id.as_deref(), Some(sane));
    }
    for insane in ["", "two words", &"x".repeat(201), "zoë"] {
        let page = app.get_with("/people", &[("X-Request-Id", insane)]).await;
        let given = request_id(&format!("{insane:?}"), &page);
        assert_ne!(given, insane);
    }
}

async fn error_pages_show_the_request_id(app: TestApp) {
    // A handler's error (AppError), Rocket's catcher, a refused form: each page quotes its id.
    for page in [
        app.get("/people/999999").await,
        app.get("/nowhere").await,
        app.post_raw("/people", "name=Eve", &[]).await,
    ] {
        let id = request_id("error page", &page);
        assert!(
            page.body.contains(&format!("<code>{id}</code>")),
            "{}: {}",
            page.status,
            page.body
        );
    }
    // A client's own id is shown as text, never as markup.
    let page = app
        .get_with("/nowhere", &[("X-Request-Id", "<b>ticket-42</b>")])
        .await;
    assert!(
        page.body
            .contains("<code>&#60;b&#62;ticket-42&#60;/b&#62;</code>"),
        "{}",
        page.body
    );
}
