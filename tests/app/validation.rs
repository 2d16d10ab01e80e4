//! Refused forms: 422, the form again with the input kept, the message beside the field and
//! in a summary, and nothing saved.

use rocket::http::Status;

use people_test_harness::{Page, TestApp, backend_tests};

backend_tests!(
    empty_name_is_refused_with_an_accessible_error,
    whitespace_only_name_is_refused,
    eighty_characters_are_accepted,
    eighty_one_characters_are_refused_and_the_input_kept,
    eighty_multibyte_characters_are_accepted,
    control_characters_are_refused,
    missing_name_field_is_refused,
    duplicate_name_is_a_form_error,
    invalid_edit_is_refused_and_changes_nothing,
    renaming_to_a_taken_name_is_refused,
);

fn assert_refused_with(page: &Page, message: &str) {
    page.assert_html(Status::UnprocessableEntity)
        .assert_contains("<h2 id=\"error-summary-title\">There is a problem</h2>")
        .assert_contains(&format!(r##"<li><a href="#name">{message}</a></li>"##))
        .assert_contains(&format!(
            r#"<p id="name-error" class="field-error"><span class="visually-hidden">Error: </span>{message}</p>"#
        ))
        .assert_contains(r#"aria-describedby="name-hint name-error" aria-invalid="true""#)
        .assert_contains("<title>Error: ");
}

async fn empty_name_is_refused_with_an_accessible_error(app: TestApp) {
    let page = app.post_form("/people", &[("name", "")]).await;
    assert_refused_with(&page, "Enter a name.");
    page.assert_contains("<h1>Add a person</h1>");
    assert!(app.listed_names().await.is_empty());
}

async fn whitespace_only_name_is_refused(app: TestApp) {
    let page = app.post_form("/people", &[("name", "  \t  ")]).await;
    assert_refused_with(&page, "Enter a name.");
    assert!(app.listed_names().await.is_empty());
}

async fn eighty_characters_are_accepted(app: TestApp) {
    let name = "a".repeat(80);
    app.create_person(&name).await;
    assert_eq!(app.listed_names().await, [name]);
}

async fn eighty_one_characters_are_refused_and_the_input_kept(app: TestApp) {
    let name = "b".repeat(81);
    let page = app.post_form("/people", &[("name", &name)]).await;
    assert_refused_with(&page, "Use at most 80 characters; this name has 81.");
    page.assert_contains(&format!(r#"value="{name}""#));
    assert!(app.listed_names().await.is_empty());
}

async fn eighty_multibyte_characters_are_accepted(app: TestApp) {
    let name = "ë".repeat(40) + &"李".repeat(40);
    app.create_person(&name).await;
    assert_eq!(app.listed_names().await, [name]);
}

async fn control_characters_are_refused(app: TestApp) {
    for name in ["Ada\u{0}", "Ada\u{1b}[2J", "Ada \u{202E}ecalevoL"] {
        let page = app.post_form("/people", &[("name", name)]).await;
        assert_refused_with(&page, "Names cannot contain invisible control characters.");
    }
    assert!(app.listed_names().await.is_empty());
}

async fn missing_name_field_is_refused(app: TestApp) {
    let page = app.post_form("/people", &[]).await;
    assert_refused_with(&page, "Enter a name.");
    assert!(app.listed_names().await.is_empty());
}

async fn duplicate_name_is_a_form_error(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    let page = app
        .post_form("/people", &[("name", " Ada Lovelace ")])
        .await;
    assert_refused_with(&page, "Ada Lovelace is already taken.");
    page.assert_contains(r#"value="Ada Lovelace""#);
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn invalid_edit_is_refused_and_changes_nothing(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let long = "c".repeat(81);
    let page = app.put_person(id, &long).await;
    assert_refused_with(&page, "Use at most 80 characters; this name has 81.");
    page.assert_contains("<h1>Edit Ada Lovelace</h1>")
        .assert_contains(&format!(r#"value="{long}""#))
        .assert_contains(r#"<input type="hidden" name="_method" value="put">"#)
        .assert_contains(r#"<input type="hidden" name="version" value="1">"#);
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn renaming_to_a_taken_name_is_refused(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    let grace = app.create_person("Grace Hopper").await;
    let page = app.put_person(grace, "Ada Lovelace").await;
    assert_refused_with(&page, "Ada Lovelace is already taken.");
    page.assert_contains("<h1>Edit Grace Hopper</h1>");
    assert_eq!(app.listed_names().await, ["Ada Lovelace", "Grace Hopper"]);
}
