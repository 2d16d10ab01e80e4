//! The embedded static files: hashed addresses cached for good, plain names revalidated by
//! ETag, brotli and gzip forms by `Accept-Encoding`; and pages that no shared cache keeps.

use std::io::Read;

use rocket::http::{Header, Status};
use rocket::local::asynchronous::LocalResponse;

use people_test_harness::TestApp;

const STYLESHEET: &[u8] = include_bytes!("../../static/style.css");

fn header(response: &LocalResponse<'_>, name: &str) -> Option<String> {
    response.headers().get_one(name).map(str::to_owned)
}

async fn get<'a>(
    app: &'a TestApp,
    uri: &str,
    headers: &[(&'static str, &str)],
) -> LocalResponse<'a> {
    let mut request = app.client.get(uri.to_owned());
    for (name, value) in headers {
        request = request.header(Header::new(*name, value.to_string()));
    }
    request.dispatch().await
}

async fn stylesheet_url(app: &TestApp) -> String {
    let page = app.get("/people").await;
    page.stylesheet()
        .unwrap_or_else(|| panic!("a hashed stylesheet link in {}", page.body))
        .to_owned()
}

#[rocket::async_test]
async fn pages_link_the_hashed_stylesheet_which_is_cached_for_a_year() {
    let app = TestApp::sqlite().await;
    let url = stylesheet_url(&app).await;
    let response = get(&app, &url, &[]).await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(
        header(&response, "Cache-Control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(
        response.content_type(),
        Some(rocket::http::ContentType::CSS)
    );
    assert_eq!(header(&response, "Content-Encoding"), None);
    assert_eq!(
        header(&response, "Vary").as_deref(),
        Some("Accept-Encoding")
    );
    assert_eq!(response.into_bytes().await.as_deref(), Some(STYLESHEET));

    // The icon too.
    let page = app.get("/people").await;
    assert!(
        page.body
            .contains(r#"<link rel="icon" href="/static/favicon."#),
        "{}",
        page.body
    );
    // Any other hash is not this file.
    let other = url.replace("/static/style.", "/static/style.0");
    assert_eq!(get(&app, &other, &[]).await.status(), Status::NotFound);
}

#[rocket::async_test]
async fn the_plain_name_is_cached_briefly_and_revalidated_by_etag() {
    let app = TestApp::sqlite().await;
    let response = get(&app, "/static/style.css", &[]).await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(
        header(&response, "Cache-Control").as_deref(),
        Some("public, max-age=300")
    );
    let etag = header(&response, "ETag").expect("an ETag");
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");

    for tag in [etag.clone(), format!("W/{etag}"), format!("\"x\", {etag}")] {
        let again = get(&app, "/static/style.css", &[("If-None-Match", &tag)]).await;
        assert_eq!(again.status(), Status::NotModified, "{tag}");
        assert_eq!(header(&again, "ETag"), Some(etag.clone()));
        assert!(again.into_bytes().await.unwrap_or_default().is_empty());
    }
    let changed = get(&app, "/static/style.css", &[("If-None-Match", "\"old\"")]).await;
    assert_eq!(changed.status(), Status::Ok);
}

#[rocket::async_test]
async fn compressed_forms_are_served_when_accepted() {
    let app = TestApp::sqlite().await;
    let url = stylesheet_url(&app).await;

    let br = get(
        &app,
        &url,
        &[("Accept-Encoding", "gzip, deflate, br, zstd")],
    )
    .await;
    assert_eq!(header(&br, "Content-Encoding").as_deref(), Some("br"));
    assert_eq!(header(&br, "Vary").as_deref(), Some("Accept-Encoding"));
    let br_tag = header(&br, "ETag").expect("an ETag");
    let body = br.into_bytes().await.expect("a body");
    assert!(body.len() < STYLESHEET.len() / 2, "{} bytes", body.len());
    let mut css = Vec::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut css)
        .expect("brotli");
    assert_eq!(css, STYLESHEET);

    let gz = get(&app, &url, &[("Accept-Encoding", "gzip, deflate")]).await;
    assert_eq!(header(&gz, "Content-Encoding").as_deref(), Some("gzip"));
    let gz_tag = header(&gz, "ETag").expect("an ETag");
    let body = gz.into_bytes().await.expect("a body");
    let mut css = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut css)
        .expect("gzip");
    assert_eq!(css, STYLESHEET);

    // Each form has its own tag, so a cache never answers one with another.
    let identity = get(&app, &url, &[("Accept-Encoding", "identity")]).await;
    let identity_tag = header(&identity, "ETag").expect("an ETag");
    assert!(br_tag != gz_tag && gz_tag != identity_tag && br_tag != identity_tag);
    assert_eq!(header(&identity, "Content-Encoding"), None);
    assert_eq!(identity.into_bytes().await.as_deref(), Some(STYLESHEET));

    let refused = get(&app, &url, &[("Accept-Encoding", "br;q=0, gzip;q=0")]).await;
    assert_eq!(header(&refused, "Content-Encoding"), None);
}

/// Compressing a page that holds a CSRF token and echoes the search text invites BREACH.
#[rocket::async_test]
async fn pages_are_never_compressed_nor_kept_by_shared_caches() {
    let app = TestApp::sqlite().await;
    let id = app.create_person("Ada Lovelace").await;
    for uri in [
        "/people".to_owned(),
        "/people?q=ada".to_owned(),
        "/people/new".to_owned(),
        format!("/people/{id}"),
        format!("/people/{id}/edit"),
        format!("/people/{id}/delete"),
        "/nowhere".to_owned(),
    ] {
        let response = get(&app, &uri, &[("Accept-Encoding", "gzip, deflate, br")]).await;
        assert_eq!(header(&response, "Content-Encoding"), None, "{uri}");
        let cache = header(&response, "Cache-Control").unwrap_or_default();
        assert!(
            cache.contains("private") || cache.contains("no-store"),
            "{uri}: Cache-Control {cache:?}"
        );
        assert!(!cache.contains("public"), "{uri}: {cache}");
    }
}
