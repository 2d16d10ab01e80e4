//! Behind a reverse proxy: `public_origin` names the origin(s) browsers see, and the CSRF
//! check trusts those instead of the `Host` the proxy sends; an `https://` one makes cookies
//! `Secure` and adds `Strict-Transport-Security`.

use rocket::figment::Figment;
use rocket::http::{Header, Status};
use rocket::local::asynchronous::Client;

use people_test_harness::{TestApp, TestDatabase, figment};

async fn behind_proxy(settings: &[(&str, serde_json::Value)]) -> TestApp {
    let db = TestDatabase::sqlite();
    let mut config: Figment = figment(&db.url());
    for (key, value) in settings {
        config = config.merge((*key, value.clone()));
    }
    TestApp::launch_with(db, config).await
}

async fn post_from(app: &TestApp, origin: &str, host: &str, name: &str) -> Status {
    let headers = [("Origin", origin), ("Host", host)];
    app.post_form_with("/people", &[("name", name)], &headers)
        .await
        .status
}

#[rocket::async_test]
async fn with_public_origins_forms_from_them_are_accepted_whatever_host_the_proxy_sends() {
    let app = behind_proxy(&[(
        "public_origin",
        serde_json::json!([
            "https://people.example.com",
            "https://www.people.example.com"
        ]),
    )])
    .await;
    // nginx's `proxy_pass http://people;` sends `Host: people`.
    for (origin, name) in [
        ("https://people.example.com", "Ada Lovelace"),
        ("https://www.people.example.com", "Grace Hopper"),
        ("https://PEOPLE.example.com:443", "Alan Turing"),
    ] {
        assert_eq!(
            post_from(&app, origin, "people", name).await,
            Status::SeeOther
        );
    }
    // The Host is no longer trusted, nor any other origin.
    for (origin, host) in [
        ("http://people", "people"),
        ("http://people.example.com", "people"),
        ("https://evil.example", "people"),
        ("null", "people"),
    ] {
        assert_eq!(
            post_from(&app, origin, host, "Mallory").await,
            Status::Forbidden,
            "{origin}"
        );
    }
    assert_eq!(app.count().await, 3);
}

#[rocket::async_test]
async fn without_a_public_origin_the_host_is_compared() {
    let app = TestApp::sqlite().await;
    let status = post_from(&app, "http://people.example.com", "people", "Ada").await;
    assert_eq!(
        status,
        Status::Forbidden,
        "what a proxy without the setting gets"
    );
    let status = post_from(&app, "http://localhost:8000", "localhost:8000", "Ada").await;
    assert_eq!(status, Status::SeeOther);
}

fn set_cookies(response: &rocket::local::asynchronous::LocalResponse<'_>) -> Vec<String> {
    response
        .headers()
        .get("Set-Cookie")
        .map(str::to_owned)
        .collect()
}

async fn secure_headers(client: &Client) -> (Vec<String>, Option<String>) {
    let response = client.get("/people/new").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    let hsts = response
        .headers()
        .get_one("Strict-Transport-Security")
        .map(str::to_owned);
    (set_cookies(&response), hsts)
}

#[rocket::async_test]
async fn an_https_public_origin_makes_every_cookie_secure_and_sends_hsts() {
    let app = behind_proxy(&[
        (
            "public_origin",
            serde_json::json!("https://people.example.com"),
        ),
        ("hsts_max_age", serde_json::json!(600)),
    ])
    .await;
    let (cookies, hsts) = secure_headers(&app.client).await;
    assert!(!cookies.is_empty(), "the CSRF cookie is set");
    for cookie in &cookies {
        assert!(cookie.contains("; Secure"), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "the rest is kept: {cookie}");
    }
    assert_eq!(hsts.as_deref(), Some("max-age=600"));

    // The flash message after a create too.
    let token = app.csrf_token().await;
    let created = app
        .client
        .post("/people")
        .header(rocket::http::ContentType::Form)
        .header(Header::new("Origin", "https://people.example.com"))
        .body(format!("name=Ada&csrf_token={token}"))
        .dispatch()
        .await;
    assert_eq!(created.status(), Status::SeeOther);
    let cookies = set_cookies(&created);
    assert!(
        cookies.iter().any(|c| c.starts_with("_flash=")),
        "{cookies:?}"
    );
    assert!(
        cookies.iter().all(|c| c.contains("; Secure")),
        "{cookies:?}"
    );
}

#[rocket::async_test]
async fn over_plain_http_cookies_are_not_secure_and_no_hsts_is_sent() {
    let plain = TestApp::sqlite().await;
    let http_origin =
        behind_proxy(&[("public_origin", serde_json::json!("http://people.internal"))]).await;
    for app in [&plain, &http_origin] {
        let (cookies, hsts) = secure_headers(&app.client).await;
        assert!(!cookies.is_empty());
        assert!(cookies.iter().all(|c| !c.contains("Secure")), "{cookies:?}");
        assert_eq!(hsts, None);
    }
}

#[rocket::async_test]
async fn a_public_origin_that_is_not_an_origin_refuses_to_launch() {
    for value in [
        serde_json::json!("people.example.com"),
        serde_json::json!("https://people.example.com/app"),
        serde_json::json!(42),
    ] {
        let db = TestDatabase::sqlite();
        let config = figment(&db.url()).merge(("public_origin", value.clone()));
        let launched = Client::tracked(people::build(config)).await;
        // Reading the error as text marks it handled (Rocket panics on an unread one).
        let error = launched.err().map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("fairing")), "{value}");
    }
}
