//! What hostile clients and unlucky users could do that lost a record, a name or answered a
//! 500: reused ids, a reused create form, look-alike names, crafted cookies, a locked file.
//! (Slow clients, deadlines and partitions need the real binary: `tests/production/hostile.rs`.)

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use rocket::http::{Header, Status};
use serde_json::json;

use people_test_harness::{TestApp, TestDatabase, backend_tests, figment, hidden_value};

backend_tests!(
    a_deleted_persons_id_is_never_given_to_someone_new,
    a_create_form_reused_for_another_name_says_so_and_adds_nobody_else,
    pages_with_forms_are_not_kept_by_the_browser_cache,
    names_with_invisible_format_characters_are_refused,
    names_that_differ_only_by_a_joiner_are_one_name,
    a_crafted_flash_cookie_is_ignored_not_a_500,
    flash_messages_travel_encrypted_and_are_shown_once,
    the_csrf_cookie_is_sent_on_visits_from_other_sites,
);

async fn a_deleted_persons_id_is_never_given_to_someone_new(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    let grace = app.create_person("Grace Hopper").await;
    let opened = app.edit_form_version(grace).await;
    app.post_form(&format!("/people/{grace}"), &[("_method", "delete")])
        .await
        .assert_redirect("/people");

    let alan = app.create_person("Alan Turing").await;
    assert_ne!(alan, grace, "the deleted person's id was given out again");
    // Edits of the deleted person, opened before it went, find nobody to overwrite.
    app.put_person_at(grace, &opened, "Mallory")
        .await
        .assert_html(Status::NotFound);
    app.api_save(grace, "Mallory", 1)
        .await
        .assert_json(Status::NotFound);
    assert_eq!(app.listed_names().await, ["Ada Lovelace", "Alan Turing"]);
}

async fn a_create_form_reused_for_another_name_says_so_and_adds_nobody_else(app: TestApp) {
    let key = app.creation_key().await;
    let create = |name: &'static str, key: String| {
        let app = &app;
        async move {
            let fields = [("creation_key", key.as_str()), ("name", name)];
            app.post_form("/people", &fields).await
        }
    };
    assert_eq!(
        create("Ada Lovelace", key.clone()).await.status,
        Status::SeeOther
    );

    // Back to the same form, another name typed in, Add pressed.
    let page = create("Grace Hopper", key.clone()).await;
    page.assert_html(Status::UnprocessableEntity)
        .assert_contains(
            "This form already added Ada Lovelace. To add Grace Hopper as well, save again.",
        )
        .assert_contains(r#"value="Grace Hopper""#)
        .assert_lacks("Added Ada Lovelace");
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);

    let fresh = hidden_value(&page.body, "creation_key");
    assert_ne!(fresh, key, "the form comes back with a key of its own");
    assert_eq!(create("Grace Hopper", fresh).await.status, Status::SeeOther);
    assert_eq!(app.listed_names().await, ["Ada Lovelace", "Grace Hopper"]);
}

async fn pages_with_forms_are_not_kept_by_the_browser_cache(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let refused = app.post_form("/people", &[("name", "")]).await;
    let stale = app.put_person_at(id, "0", "Ada King").await;
    assert_eq!(stale.status, Status::Conflict);
    for (what, page) in [
        ("new", app.get("/people/new").await),
        ("edit", app.get(&format!("/people/{id}/edit")).await),
        ("delete", app.get(&format!("/people/{id}/delete")).await),
        ("refused", refused),
        ("stale", stale),
    ] {
        assert_eq!(page.cache_control.as_deref(), Some("no-store"), "{what}");
    }
    for (what, page) in [
        ("list", app.get("/people").await),
        ("show", app.get(&format!("/people/{id}")).await),
    ] {
        // Pages without a form keep the policy every page has (`private, no-cache`).
        assert_eq!(
            page.cache_control.as_deref(),
            Some("private, no-cache"),
            "{what}"
        );
    }
}

const INVISIBLE: &str = "Names cannot contain invisible formatting characters, such as \
                         zero-width spaces, soft hyphens or direction marks.";

async fn names_with_invisible_format_characters_are_refused(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    for name in [
        "Ada Lovelace\u{200B}",
        "Ada\u{00AD}Lovelace",
        "Ada Lovelace\u{200E}",
        "\u{2060}Ada Lovelace",
    ] {
        let page = app.post_form("/people", &[("name", name)]).await;
        page.assert_html(Status::UnprocessableEntity)
            .assert_contains(INVISIBLE);
        let response = app.api_post(&json!({ "name": name })).await;
        assert_eq!(
            response.assert_json(Status::UnprocessableEntity)["errors"]["name"][0],
            INVISIBLE
        );
    }
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn names_that_differ_only_by_a_joiner_are_one_name(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    app.post_form("/people", &[("name", "A\u{200C}da Lovelace")])
        .await
        .assert_html(Status::UnprocessableEntity)
        .assert_contains("is already taken.");
    // Where a joiner belongs, the name is kept as typed.
    let persian = "می\u{200C}خواهم";
    let id = app.create_person(persian).await;
    app.get(&format!("/people/{id}"))
        .await
        .assert_contains(&format!("<h1>{persian}</h1>"));
}

async fn a_crafted_flash_cookie_is_ignored_not_a_500(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    for cookie in [
        "_flash=1:%C3%A9",
        "_flash=999:x",
        "flash=s:Hacked",
        "flash=%FF",
    ] {
        for uri in ["/people".to_owned(), format!("/people/{id}")] {
            let response = app
                .client
                .get(uri.clone())
                .header(Header::new("Cookie", cookie))
                .dispatch()
                .await;
            assert_eq!(response.status(), Status::Ok, "{cookie} on {uri}");
            let body = response.into_string().await.unwrap_or_default();
            assert!(!body.contains("Hacked"), "{cookie}: {body}");
        }
    }
}

async fn flash_messages_travel_encrypted_and_are_shown_once(app: TestApp) {
    let token = app.csrf_token().await;
    let body =
        people_test_harness::encode_form(&[("name", "Ada Lovelace"), ("csrf_token", &token)]);
    let created = app.post_raw("/people", &body, &[]).await;
    let flash = created
        .set_cookies
        .iter()
        .find(|cookie| cookie.starts_with("flash="))
        .expect("a flash cookie");
    assert!(
        !flash.contains("Added") && !flash.contains("Ada"),
        "{flash}"
    );
    assert!(
        flash.contains("HttpOnly") && flash.contains("SameSite=Lax"),
        "{flash}"
    );
    let location = created.location.expect("a redirect");
    app.get(&location)
        .await
        .assert_contains("Added Ada Lovelace");
    app.get(&location).await.assert_lacks("Added Ada Lovelace");
}

/// A strict cookie is not sent when a link on another site leads here, so the visit got a new
/// token and every form still open in another tab was refused (403). Lax cookies are sent
/// on such top-level visits; cross-site POSTs still carry none, and the Origin and
/// Sec-Fetch-Site checks refuse them anyway (`forgery.rs`).
async fn the_csrf_cookie_is_sent_on_visits_from_other_sites(app: TestApp) {
    let page = app.get("/people/new").await;
    let csrf = page
        .set_cookies
        .iter()
        .find(|cookie| cookie.starts_with("csrf="))
        .expect("a CSRF cookie");
    assert!(csrf.contains("SameSite=Lax"), "{csrf}");
    assert!(csrf.contains("HttpOnly"), "{csrf}");
}

/// SQLite's busy timeout running out (another writer held the file) is temporary: 503.
#[rocket::async_test]
async fn a_write_while_another_process_holds_the_sqlite_file_is_a_503() {
    let db = TestDatabase::sqlite();
    let url = db.url();
    let figment = figment(&url).merge(("databases.people.query_timeout", 1));
    let app = TestApp::launch_with(db, figment).await;
    let mut other =
        SqliteConnection::establish(url.trim_start_matches("sqlite://")).expect("open the file");
    other
        .batch_execute("BEGIN IMMEDIATE")
        .expect("take the write lock");

    app.post_form("/people", &[("name", "Ada Lovelace")])
        .await
        .assert_html(Status::ServiceUnavailable);
    other.batch_execute("COMMIT").expect("release the lock");
    app.create_person("Ada Lovelace").await;
}
