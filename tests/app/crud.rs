//! Listing, creating, showing, editing and deleting people through the HTML forms.

use rocket::http::Status;

use people_test_harness::{TestApp, backend_tests};

backend_tests!(
    root_redirects_to_the_list,
    empty_list_invites_the_first_person,
    new_form_has_a_labelled_name_field,
    create_redirects_to_the_person_with_a_flash_shown_once,
    list_shows_everyone_by_name_linking_to_their_pages,
    show_page_has_edit_link_and_delete_button,
    edit_form_is_prefilled,
    update_saves_and_redirects_with_a_flash,
    update_to_the_same_name_is_allowed,
    delete_confirmation_page_works_without_javascript,
    delete_removes_the_person_and_redirects_to_the_list,
    names_are_trimmed_when_saved,
    non_ascii_names_round_trip,
    html_in_a_name_is_shown_escaped,
    static_stylesheet_is_served,
);

async fn root_redirects_to_the_list(app: TestApp) {
    app.get("/").await.assert_redirect("/people");
}

async fn empty_list_invites_the_first_person(app: TestApp) {
    app.get("/people")
        .await
        .assert_html(Status::Ok)
        .assert_contains("<h1>People</h1>")
        .assert_contains("No people yet.")
        .assert_contains(r#"href="/people/new""#);
}

async fn new_form_has_a_labelled_name_field(app: TestApp) {
    app.get("/people/new")
        .await
        .assert_html(Status::Ok)
        .assert_contains(r#"<form class="person-form" method="post" action="/people" novalidate>"#)
        .assert_contains(r#"<label for="name">Name</label>"#)
        .assert_contains(r#"<input id="name" name="name" type="text" value="""#)
        .assert_lacks("aria-invalid")
        .assert_lacks("error-summary");
}

async fn create_redirects_to_the_person_with_a_flash_shown_once(app: TestApp) {
    let created = app.post_form("/people", &[("name", "Ada Lovelace")]).await;
    let location = created.location.clone().expect("a Location header");
    assert_eq!(created.status, Status::SeeOther);
    assert!(location.starts_with("/people/"), "{location}");

    app.get(&location)
        .await
        .assert_html(Status::Ok)
        .assert_contains("<h1>Ada Lovelace</h1>")
        .assert_contains(r#"<p class="flash flash-success" role="status">Added Ada Lovelace</p>"#);
    app.get(&location)
        .await
        .assert_html(Status::Ok)
        .assert_lacks("Added Ada Lovelace");
    app.get("/people").await.assert_lacks("Added Ada Lovelace");
}

async fn list_shows_everyone_by_name_linking_to_their_pages(app: TestApp) {
    let grace = app.create_person("Grace Hopper").await;
    let ada = app.create_person("Ada Lovelace").await;
    assert_eq!(app.listed_names().await, ["Ada Lovelace", "Grace Hopper"]);
    let list = app.get("/people").await;
    list.assert_contains(&format!(
        r#"<a class="person-name" href="/people/{ada}">Ada Lovelace</a>"#
    ))
    .assert_contains(&format!(
        r#"<a class="person-name" href="/people/{grace}">Grace Hopper</a>"#
    ))
    .assert_lacks("No people yet.");
}

async fn show_page_has_edit_link_and_delete_button(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    app.get(&format!("/people/{id}"))
        .await
        .assert_html(Status::Ok)
        .assert_contains("<title>Ada Lovelace · People</title>")
        .assert_contains(&format!(
            r#"<a class="button button-primary" href="/people/{id}/edit">Edit</a>"#
        ))
        .assert_contains(&format!(
            r#"<a class="button button-quiet" href="/people/{id}/delete">Delete</a>"#
        ));
}

async fn edit_form_is_prefilled(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    app.get(&format!("/people/{id}/edit"))
        .await
        .assert_html(Status::Ok)
        .assert_contains("<h1>Edit Ada Lovelace</h1>")
        .assert_contains(&format!(r#"action="/people/{id}""#))
        .assert_contains(r#"<input type="hidden" name="_method" value="put">"#)
        .assert_contains(r#"<input type="hidden" name="version" value="1">"#)
        .assert_contains(r#"value="Ada Lovelace""#);
}

async fn update_saves_and_redirects_with_a_flash(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let uri = format!("/people/{id}");
    app.put_person(id, "Ada King").await.assert_redirect(&uri);
    app.get(&uri)
        .await
        .assert_contains("<h1>Ada King</h1>")
        .assert_contains("Updated Ada King");
    assert_eq!(app.listed_names().await, ["Ada King"]);
}

async fn update_to_the_same_name_is_allowed(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let uri = format!("/people/{id}");
    app.put_person(id, "Ada Lovelace")
        .await
        .assert_redirect(&uri);
}

async fn delete_confirmation_page_works_without_javascript(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    app.get(&format!("/people/{id}/delete"))
        .await
        .assert_html(Status::Ok)
        .assert_contains("<h1>Delete Ada Lovelace?</h1>")
        .assert_contains(&format!(r#"<form method="post" action="/people/{id}">"#))
        .assert_contains(r#"<input type="hidden" name="_method" value="delete">"#)
        .assert_contains(r#"<button type="submit" class="button button-danger">"#)
        .assert_lacks("<script");
}

async fn delete_removes_the_person_and_redirects_to_the_list(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    app.create_person("Grace Hopper").await;
    app.post_form(&format!("/people/{ada}"), &[("_method", "delete")])
        .await
        .assert_redirect("/people");
    app.get("/people")
        .await
        .assert_contains("Deleted Ada Lovelace");
    assert_eq!(app.listed_names().await, ["Grace Hopper"]);
    // In the trash now: the page says so (410) and offers to restore (tests/app/trash.rs).
    app.get(&format!("/people/{ada}"))
        .await
        .assert_html(Status::Gone);
}

async fn names_are_trimmed_when_saved(app: TestApp) {
    let id = app.create_person("   Ada Lovelace\t ").await;
    app.get(&format!("/people/{id}"))
        .await
        .assert_contains("<h1>Ada Lovelace</h1>");
}

async fn non_ascii_names_round_trip(app: TestApp) {
    let name = "Zoë 李小龙";
    let id = app.create_person(name).await;
    app.get(&format!("/people/{id}"))
        .await
        .assert_contains("<h1>Zoë 李小龙</h1>")
        .assert_contains("Added Zoë 李小龙");
    assert_eq!(app.listed_names().await, [name]);
}

async fn html_in_a_name_is_shown_escaped(app: TestApp) {
    let id = app.create_person("<script>alert('x')</script> & co").await;
    let escaped = "&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#38; co";
    for uri in [
        format!("/people/{id}"),
        "/people".into(),
        format!("/people/{id}/edit"),
    ] {
        app.get(&uri)
            .await
            .assert_lacks("<script>")
            .assert_contains(escaped);
    }
}

async fn static_stylesheet_is_served(app: TestApp) {
    let response = app.client.get("/static/style.css").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(
        response.content_type(),
        Some(rocket::http::ContentType::CSS)
    );
}
