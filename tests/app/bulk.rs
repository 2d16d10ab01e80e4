//! Deleting several people at once from the list (issue 14): a checkbox per row, one
//! transaction, one Undo for all of them, at most a page's worth per request.

use rocket::http::Status;

use people_test_harness::{Page, TestApp, backend_tests};

backend_tests!(
    each_row_has_a_labelled_checkbox_in_one_form_with_delete_selected,
    delete_selected_trashes_them_all_with_one_undo,
    nothing_selected_says_so_and_changes_nothing,
    more_than_a_page_at_once_is_refused,
    ids_already_gone_are_skipped,
);

async fn delete_selected(app: &TestApp, ids: &[i32]) -> Page {
    let ids: Vec<String> = ids.iter().map(i32::to_string).collect();
    let mut fields = vec![("_method", "delete")];
    fields.extend(ids.iter().map(|id| ("id", id.as_str())));
    app.post_form("/people", &fields).await
}

async fn each_row_has_a_labelled_checkbox_in_one_form_with_delete_selected(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    let list = app.get("/people").await;
    list.assert_contains(r#"<form class="bulk-form" method="post" action="/people">"#)
        .assert_contains(&format!(
            r#"<input class="row-select" type="checkbox" name="id" value="{ada}" id="select-{ada}">"#
        ))
        .assert_contains(&format!(
            r#"<label class="visually-hidden" for="select-{ada}">Select Ada Lovelace</label>"#
        ))
        .assert_contains(r#"<button type="submit" class="button button-quiet">Delete selected</button>"#)
        .assert_lacks("<script");
    let form = list
        .body
        .split(r#"<form class="bulk-form""#)
        .nth(1)
        .unwrap();
    let first_input = form.split("<input").nth(1).unwrap();
    assert!(
        first_input.contains(r#"name="_method" value="delete""#),
        "_method comes first"
    );
}

async fn delete_selected_trashes_them_all_with_one_undo(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    let grace = app.create_person("Grace Hopper").await;
    let alan = app.create_person("Alan Turing").await;
    delete_selected(&app, &[ada, alan])
        .await
        .assert_redirect("/people");
    let list = app.get("/people").await;
    list.assert_contains("<p>Deleted 2 people.</p>");
    assert_eq!(list.names(), ["Grace Hopper"]);
    let form = list
        .body
        .split(r#"action="/people/trash/restore""#)
        .nth(1)
        .unwrap();
    let form = form.split("</form>").next().unwrap();
    assert_eq!(form.matches(r#"name="id""#).count(), 2, "one Undo for both");
    assert_eq!(list.body.matches(">Undo</button>").count(), 1);

    let fields = [("id", ada.to_string()), ("id", alan.to_string())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form("/people/trash/restore", &fields)
        .await
        .assert_redirect("/people");
    app.get("/people")
        .await
        .assert_contains("Restored 2 people");
    assert_eq!(
        app.listed_names().await,
        ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    );
    let _ = grace;
}

async fn nothing_selected_says_so_and_changes_nothing(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    delete_selected(&app, &[]).await.assert_redirect("/people");
    app.get("/people")
        .await
        .assert_contains("Nobody was selected");
    assert_eq!(app.count().await, 1);
}

async fn more_than_a_page_at_once_is_refused(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    let ids: Vec<i32> = (1..=101).collect();
    delete_selected(&app, &ids)
        .await
        .assert_html(Status::BadRequest)
        .assert_contains("At most 100 people at once");
    assert_eq!(app.count().await, 1);
    let page = app
        .post_form("/people", &[("_method", "delete"), ("id", "abc")])
        .await;
    page.assert_html(Status::BadRequest);
}

async fn ids_already_gone_are_skipped(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    delete_selected(&app, &[ada, 9999])
        .await
        .assert_redirect("/people");
    app.get("/people")
        .await
        .assert_contains("<p>Deleted Ada Lovelace.</p>");
    delete_selected(&app, &[ada])
        .await
        .assert_html(Status::NotFound);
}
