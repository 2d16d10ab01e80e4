//! HTTP's method semantics: 405 with `Allow` for a method a known path lacks (JSON under
//! `/api`, the styled page elsewhere), `OPTIONS` answered with `Allow`, HEAD wherever GET is,
//! and unknown paths still 404s. (A method Rocket cannot even parse, such as QUERY, is in
//! `tests/production/methods.rs`: the local client cannot send one.)

use rocket::http::{ContentType, Method, Status};
use serde_json::json;

use people_test_harness::{TestApp, backend_tests};

backend_tests!(
    an_api_path_answers_a_missing_method_with_a_json_405_and_allow,
    a_page_answers_a_missing_method_with_a_styled_405_and_allow,
    options_lists_the_methods_of_a_path,
    head_answers_wherever_get_does,
    unknown_paths_and_malformed_ids_are_still_404s,
);

async fn answer(app: &TestApp, method: Method, uri: &str) -> (Status, Option<String>, String) {
    let response = app.client.req(method, uri.to_owned()).dispatch().await;
    let status = response.status();
    let allow = response.headers().get_one("Allow").map(str::to_owned);
    (
        status,
        allow,
        response.into_string().await.unwrap_or_default(),
    )
}

async fn an_api_path_answers_a_missing_method_with_a_json_405_and_allow(app: TestApp) {
    for (method, uri, allow) in [
        (Method::Patch, "/api/people", "GET, HEAD, POST, OPTIONS"),
        (Method::Trace, "/api/people", "GET, HEAD, POST, OPTIONS"),
        (Method::Delete, "/api/people", "GET, HEAD, POST, OPTIONS"),
        (
            Method::Post,
            "/api/people/1",
            "GET, HEAD, PUT, DELETE, OPTIONS",
        ),
        (
            Method::Patch,
            "/api/people/abc",
            "GET, HEAD, PUT, DELETE, OPTIONS",
        ),
        (Method::Put, "/api/openapi.json", "GET, HEAD, OPTIONS"),
        // A path some route names exactly has only its methods, not those of
        // `/api/people/<id>` beside it.
        (Method::Put, "/api/people/import", "POST, OPTIONS"),
    ] {
        let response = app.api_send(method, uri, &json!({"name": "Ada"})).await;
        assert_eq!(
            response.assert_json(Status::MethodNotAllowed),
            &json!({"error": "method not allowed", "message": format!("This address answers {allow}.")}),
            "{method} {uri}"
        );
        assert_eq!(response.allow.as_deref(), Some(allow), "{method} {uri}");
    }
    assert!(app.listed_names().await.is_empty());
}

async fn a_page_answers_a_missing_method_with_a_styled_405_and_allow(app: TestApp) {
    let id = app.create_person("Ada").await;
    for (method, uri, allow) in [
        (
            Method::Patch,
            format!("/people/{id}"),
            "GET, HEAD, PUT, DELETE, OPTIONS",
        ),
        (
            Method::Put,
            "/people".into(),
            "GET, HEAD, POST, DELETE, OPTIONS",
        ),
        (Method::Post, "/".into(), "GET, HEAD, OPTIONS"),
        (
            Method::Post,
            "/static/style.css".into(),
            "GET, HEAD, OPTIONS",
        ),
    ] {
        let (status, allowed, body) = answer(&app, method, &uri).await;
        assert_eq!(status, Status::MethodNotAllowed, "{method} {uri}: {body}");
        assert_eq!(allowed.as_deref(), Some(allow), "{method} {uri}");
        assert!(body.starts_with("<!doctype html>"), "{body}");
        assert!(body.contains("<h1>Not allowed here</h1>"), "{body}");
        assert!(body.contains(&format!("It answers {allow}.")), "{body}");
    }
    assert_eq!(app.listed_names().await, ["Ada"]);
}

async fn options_lists_the_methods_of_a_path(app: TestApp) {
    for (uri, allow) in [
        ("/api/people", "GET, HEAD, POST, OPTIONS"),
        ("/api/people/7", "GET, HEAD, PUT, DELETE, OPTIONS"),
        ("/api/openapi.json", "GET, HEAD, OPTIONS"),
        ("/people/7/edit", "GET, HEAD, OPTIONS"),
        ("/health", "GET, HEAD, OPTIONS"),
    ] {
        let (status, allowed, body) = answer(&app, Method::Options, uri).await;
        assert_eq!(status, Status::NoContent, "{uri}: {body}");
        assert_eq!(allowed.as_deref(), Some(allow), "{uri}");
        assert!(body.is_empty(), "{uri}: {body}");
    }
}

async fn head_answers_wherever_get_does(app: TestApp) {
    let id = app.create_person("Ada").await;
    for uri in [
        "/api/people".to_owned(),
        format!("/api/people/{id}"),
        "/api/openapi.json".into(),
        format!("/people/{id}"),
        "/static/style.css".into(),
    ] {
        let (status, _, body) = answer(&app, Method::Head, &uri).await;
        assert_eq!(status, Status::Ok, "{uri}");
        assert!(body.is_empty(), "{uri}");
    }
    let (status, _, _) = answer(&app, Method::Head, "/api/people/999").await;
    assert_eq!(status, Status::NotFound);
}

async fn unknown_paths_and_malformed_ids_are_still_404s(app: TestApp) {
    for method in [Method::Get, Method::Patch, Method::Options, Method::Delete] {
        for uri in [
            "/nowhere",
            "/api/nowhere",
            "/people/1/2/3",
            "/api/people/1/2",
        ] {
            let (status, allow, body) = answer(&app, method, uri).await;
            assert_eq!(status, Status::NotFound, "{method} {uri}: {body}");
            assert_eq!(allow, None, "{method} {uri}");
        }
    }
    let malformed = app
        .api(
            Method::Get,
            "/api/people/abc",
            Some(ContentType::JSON),
            None,
        )
        .await;
    assert_eq!(
        malformed.assert_json(Status::NotFound),
        &json!({"error": "not found"})
    );
    let (status, _, _) = answer(&app, Method::Get, "/static/missing.css").await;
    assert_eq!(status, Status::NotFound);
}
