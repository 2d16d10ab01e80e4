//! Nothing lost: stale edits are refused with 409, a form sent twice creates once, names are
//! unique whatever their case, spacing or Unicode composition, and hostile input gets a
//! clear 4xx and changes nothing.

use rocket::futures::future::join_all;
use rocket::http::Status;

use people_test_harness::{Page, TestApp, backend_tests, encode_form, hidden_value};

backend_tests!(
    saving_an_edit_opened_before_someone_elses_save_is_a_409_that_overwrites_nothing,
    saving_again_from_the_409_page_is_a_deliberate_overwrite,
    two_simultaneous_edits_from_one_version_save_exactly_once,
    a_create_form_sent_twice_creates_once_and_both_redirect_to_that_person,
    a_create_form_sent_twice_at_the_same_moment_creates_once,
    names_differing_only_in_case_or_spacing_are_the_same_name,
    names_are_stored_collapsed_and_in_nfc,
    hostile_bodies_get_clear_client_errors_and_change_nothing,
    broken_hidden_fields_are_bad_requests,
    pages_have_no_script_and_no_inline_style,
);

async fn saving_an_edit_opened_before_someone_elses_save_is_a_409_that_overwrites_nothing(
    app: TestApp,
) {
    let id = app.create_person("Ada Lovelace").await;
    let opened = app.edit_form_version(id).await;
    app.put_person_at(id, &opened, "Ada King")
        .await
        .assert_redirect(&format!("/people/{id}"));

    let page = app.put_person_at(id, &opened, "Countess Lovelace").await;
    page.assert_html(Status::Conflict)
        .assert_contains("Someone else changed this person")
        .assert_contains("<strong>Ada King</strong>")
        .assert_contains(r#"value="Countess Lovelace""#);
    assert_eq!(
        hidden_value(&page.body, "version"),
        "2",
        "the 409 form carries the current version"
    );
    assert_eq!(app.listed_names().await, ["Ada King"]);
}

async fn saving_again_from_the_409_page_is_a_deliberate_overwrite(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let opened = app.edit_form_version(id).await;
    app.put_person_at(id, &opened, "Ada King").await;
    let conflict = app.put_person_at(id, &opened, "Countess Lovelace").await;
    let current = hidden_value(&conflict.body, "version");
    app.put_person_at(id, &current, "Countess Lovelace")
        .await
        .assert_redirect(&format!("/people/{id}"));
    assert_eq!(app.listed_names().await, ["Countess Lovelace"]);
}

async fn two_simultaneous_edits_from_one_version_save_exactly_once(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let opened = app.edit_form_version(id).await;
    let pages = join_all([
        app.put_person_at(id, &opened, "Ada King"),
        app.put_person_at(id, &opened, "Countess Lovelace"),
    ])
    .await;
    let mut statuses: Vec<u16> = pages.iter().map(|p| p.status.code).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 409]);
    assert_eq!(app.count().await, 1);
}

async fn create_with_key(app: &TestApp, key: &str, name: &str) -> Page {
    app.post_form("/people", &[("creation_key", key), ("name", name)])
        .await
}

async fn a_create_form_sent_twice_creates_once_and_both_redirect_to_that_person(app: TestApp) {
    let key = app.creation_key().await;
    let first = create_with_key(&app, &key, "Ada Lovelace").await;
    let second = create_with_key(&app, &key, "Ada Lovelace").await;
    assert_eq!(first.status, Status::SeeOther);
    assert_eq!(second.status, Status::SeeOther, "{}", second.body);
    assert_eq!(first.location, second.location);
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);

    // Another form (another key) with the same name is a real duplicate.
    let other = create_with_key(&app, &app.creation_key().await, "Ada Lovelace").await;
    assert_eq!(other.status, Status::UnprocessableEntity);
}

async fn a_create_form_sent_twice_at_the_same_moment_creates_once(app: TestApp) {
    let key = app.creation_key().await;
    let pages = join_all((0..4).map(|_| create_with_key(&app, &key, "Grace Hopper"))).await;
    for page in &pages {
        assert_eq!(page.status, Status::SeeOther, "{}", page.body);
        assert_eq!(page.location, pages[0].location);
    }
    assert_eq!(app.listed_names().await, ["Grace Hopper"]);
}

async fn names_differing_only_in_case_or_spacing_are_the_same_name(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    for variant in [
        "ada lovelace",
        "ADA LOVELACE",
        "Ada   Lovelace",
        " ada\tLOVELACE ",
    ] {
        let page = app.post_form("/people", &[("name", variant)]).await;
        page.assert_html(Status::UnprocessableEntity)
            .assert_contains("is already taken.");
    }
    let grace = app.create_person("Grace Hopper").await;
    app.put_person(grace, "ada LOVELACE")
        .await
        .assert_html(Status::UnprocessableEntity);
    // Changing only the case of one's own name is allowed: it is the same person's name.
    app.put_person(grace, "grace hopper")
        .await
        .assert_redirect(&format!("/people/{grace}"));
    assert_eq!(app.listed_names().await, ["Ada Lovelace", "grace hopper"]);
}

async fn names_are_stored_collapsed_and_in_nfc(app: TestApp) {
    let decomposed = "Zoe\u{301}   Dupont";
    let id = app.create_person(decomposed).await;
    assert_eq!(app.listed_names().await, ["Zo\u{e9} Dupont"]);
    app.get(&format!("/people/{id}"))
        .await
        .assert_contains("<h1>Zo\u{e9} Dupont</h1>");
    app.post_form("/people", &[("name", "ZOÉ DUPONT")])
        .await
        .assert_html(Status::UnprocessableEntity);
}

async fn hostile_bodies_get_clear_client_errors_and_change_nothing(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let token = app.csrf_token().await;
    let with_token = |fields: &[(&str, &str)]| {
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &token));
        encode_form(&fields)
    };
    let huge = "x".repeat(20 * 1024);
    let cases: Vec<(&str, String, u16)> = vec![
        ("/people", with_token(&[("name", &huge)]), 413),
        (
            "/people",
            with_token(&[("name", "Bob"), ("admin", "true")]),
            400,
        ),
        (
            "/people",
            with_token(&[("name", "Bob"), ("name", "Eve")]),
            400,
        ),
        (
            "/people",
            with_token(&[("name", "%%%")]).replace("%25%25%25", "%zz%"),
            303,
        ),
    ];
    for (uri, body, expected) in &cases[..3] {
        let page = app.post_raw(uri, body, &[]).await;
        assert_eq!(page.status.code, *expected, "{body:.80}: {}", page.body);
        assert!(page.body.starts_with("<!doctype html>"));
    }
    // Malformed percent escapes are read as the literal text, as browsers would send it.
    let (uri, body, expected) = &cases[3];
    assert_eq!(app.post_raw(uri, body, &[]).await.status.code, *expected);

    let invalid_utf8 = unsafe_bytes_body(&token);
    let response = app
        .client
        .post("/people")
        .header(rocket::http::ContentType::Form)
        .body(invalid_utf8)
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::BadRequest);

    for content_type in [
        rocket::http::ContentType::JSON,
        rocket::http::ContentType::Plain,
    ] {
        let response = app
            .client
            .post("/people")
            .header(content_type)
            .body(with_token(&[("name", "Bob")]))
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::UnsupportedMediaType);
    }
    let unknown_method = encode_form(&[("_method", "patch"), ("csrf_token", &token)]);
    let page = app
        .post_raw(&format!("/people/{id}"), &unknown_method, &[])
        .await;
    assert_eq!(page.status, Status::MethodNotAllowed);
    assert_eq!(app.listed_names().await, ["%zz%", "Ada Lovelace"]);
}

/// A form body that is not UTF-8 at all.
fn unsafe_bytes_body(token: &str) -> Vec<u8> {
    let mut body = b"name=".to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xfd]);
    body.extend_from_slice(format!("&csrf_token={token}").as_bytes());
    body
}

async fn broken_hidden_fields_are_bad_requests(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    for version in ["", "abc", "99999999999", "1.5"] {
        app.put_person_at(id, version, "Ada King")
            .await
            .assert_html(Status::BadRequest);
    }
    let missing_version = [("_method", "put"), ("name", "Ada King")];
    app.post_form(&format!("/people/{id}"), &missing_version)
        .await
        .assert_html(Status::BadRequest);
    for key in ["short", "zz".repeat(16).as_str(), &"a".repeat(33)] {
        app.post_form("/people", &[("creation_key", key), ("name", "Bob")])
            .await
            .assert_html(Status::BadRequest);
    }
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn pages_have_no_script_and_no_inline_style(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    for uri in [
        "/people".to_owned(),
        "/people/new".to_owned(),
        format!("/people/{id}"),
        format!("/people/{id}/edit"),
        format!("/people/{id}/delete"),
        "/nowhere".to_owned(),
    ] {
        app.get(&uri)
            .await
            .assert_lacks("<script")
            .assert_lacks("<style")
            .assert_lacks(" style=");
        let page = app.get(&uri).await;
        assert!(
            !has_inline_event_handler(&page.body),
            "{uri}: {}",
            page.body
        );
    }
}

/// ` onclick=`, ` onload=`, ...: an attribute that runs script.
fn has_inline_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(at, _)| {
        let rest = &html[at + 3..];
        let letters = rest.bytes().take_while(u8::is_ascii_lowercase).count();
        letters > 0 && rest[letters..].starts_with('=')
    })
}
