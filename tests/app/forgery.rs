//! Forged requests are refused with a styled 403 and change nothing; every response carries
//! the security headers.

use rocket::http::{Cookie, Status};

use people_test_harness::{Page, TestApp, backend_tests, encode_form};

backend_tests!(
    a_post_without_a_token_is_refused_and_changes_nothing,
    a_token_from_another_session_is_refused,
    a_cross_site_origin_is_refused_even_with_a_valid_token,
    a_same_origin_post_is_accepted,
    edit_and_delete_without_a_token_are_refused,
    forms_carry_the_token_after_method,
    every_response_carries_the_security_headers,
);

fn assert_forbidden(page: &Page) {
    page.assert_html(Status::Forbidden)
        .assert_contains("<h1>Forbidden</h1>");
}

async fn a_post_without_a_token_is_refused_and_changes_nothing(app: TestApp) {
    app.get("/people/new").await; // the visitor has a session and a token; the post omits it
    assert_forbidden(
        &app.post_raw("/people", &encode_form(&[("name", "Mallory")]), &[])
            .await,
    );
    let wrong = encode_form(&[("name", "Mallory"), ("csrf_token", &"0".repeat(64))]);
    assert_forbidden(&app.post_raw("/people", &wrong, &[]).await);
    assert_eq!(app.count().await, 0);
}

async fn a_token_from_another_session_is_refused(app: TestApp) {
    // Two sessions, each a private cookie the app itself encrypted; no form was opened yet,
    // so the client's jar holds no other token.
    let (session, other) = ("a".repeat(64), "b".repeat(64));
    let post = |token: &str| {
        let body = encode_form(&[("name", "Mallory"), ("csrf_token", token)]);
        app.client
            .post("/people")
            .header(rocket::http::ContentType::Form)
            .private_cookie(Cookie::new("csrf", session.clone()))
            .body(body)
            .dispatch()
    };
    assert_eq!(post(&other).await.status(), Status::Forbidden);
    assert_eq!(app.count().await, 0);
    assert_eq!(
        post(&session).await.status(),
        Status::SeeOther,
        "the session's own token works"
    );
}

async fn a_cross_site_origin_is_refused_even_with_a_valid_token(app: TestApp) {
    for headers in [
        vec![
            ("Origin", "https://evil.example"),
            ("Host", "localhost:8000"),
        ],
        vec![("Origin", "null"), ("Host", "localhost:8000")],
        vec![("Sec-Fetch-Site", "cross-site")],
        vec![("Sec-Fetch-Site", "same-site")],
    ] {
        let page = app
            .post_form_with("/people", &[("name", "Mallory")], &headers)
            .await;
        assert_forbidden(&page);
    }
    assert_eq!(app.count().await, 0);
}

async fn a_same_origin_post_is_accepted(app: TestApp) {
    let headers = [
        ("Origin", "http://localhost:8000"),
        ("Host", "localhost:8000"),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    let page = app
        .post_form_with("/people", &[("name", "Ada Lovelace")], &headers)
        .await;
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
}

async fn edit_and_delete_without_a_token_are_refused(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let uri = format!("/people/{id}");
    let put = encode_form(&[("_method", "put"), ("version", "1"), ("name", "Mallory")]);
    assert_forbidden(&app.post_raw(&uri, &put, &[]).await);
    assert_forbidden(
        &app.post_raw(&uri, &encode_form(&[("_method", "delete")]), &[])
            .await,
    );
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn forms_carry_the_token_after_method(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let token = app.csrf_token().await;
    let field = format!(r#"<input type="hidden" name="csrf_token" value="{token}">"#);
    app.get("/people/new").await.assert_contains(&field);
    for (uri, method) in [
        (format!("/people/{id}/edit"), "put"),
        (format!("/people/{id}/delete"), "delete"),
    ] {
        let page = app.get(&uri).await;
        let method_field = format!(r#"<input type="hidden" name="_method" value="{method}">"#);
        let (before, after) = page
            .body
            .split_once(&method_field)
            .expect("a _method field");
        assert!(!before.contains("<input"), "_method comes first in {uri}");
        assert!(after.contains(&field), "the token follows _method in {uri}");
    }
}

async fn every_response_carries_the_security_headers(app: TestApp) {
    for uri in [
        "/people",
        "/people/new",
        "/static/style.css",
        "/nowhere",
        "/health",
    ] {
        let response = app.client.get(uri).dispatch().await;
        let header = |name: &str| response.headers().get_one(name).map(str::to_owned);
        let csp = header("Content-Security-Policy").unwrap_or_default();
        for directive in [
            "default-src 'none'",
            "style-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(
                csp.contains(directive),
                "{uri}: CSP {csp:?} lacks {directive}"
            );
        }
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert_eq!(
            header("X-Content-Type-Options").as_deref(),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(header("X-Frame-Options").as_deref(), Some("DENY"), "{uri}");
        assert_eq!(
            header("Referrer-Policy").as_deref(),
            Some("same-origin"),
            "{uri}"
        );
    }
}
