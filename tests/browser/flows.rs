//! The whole journey through the pages, as a user clicks it, with axe-core checking every
//! kind of page on the way.

use fantoccini::key::Key;
use serde_json::json;

use crate::browser_tests;
use crate::support::Browser;

browser_tests!(
    adding_editing_and_deleting_a_person,
    a_refused_name_is_shown_next_to_the_field_and_the_summary_takes_focus,
);

async fn adding_editing_and_deleting_a_person(browser: &Browser) {
    browser.goto("/").await;
    browser.wait_for_heading("People").await;
    assert_eq!(browser.path().await, "/people");
    assert!(browser.body_text().await.contains("No people yet."));
    browser.assert_accessible("the empty list").await;

    browser.follow(".site-nav a.button").await;
    browser.wait_for_heading("Add a person").await;
    browser.assert_accessible("the new person form").await;
    browser.fill("#name", "  Ada Lovelace ").await;
    browser.follow(".person-form button[type=submit]").await;
    browser.wait_for_heading("Ada Lovelace").await;
    assert_eq!(browser.text(".flash").await, "Added Ada Lovelace");
    browser.assert_accessible("a person's page").await;

    browser.follow(".actions a[href$='/edit']").await;
    browser.wait_for_heading("Edit Ada Lovelace").await;
    let value = browser.find("#name").await.prop("value").await;
    assert_eq!(value.ok().flatten().as_deref(), Some("Ada Lovelace"));
    browser.assert_accessible("the edit form").await;
    browser.fill("#name", "Ada King").await;
    browser.follow(".person-form button[type=submit]").await;
    browser.wait_for_heading("Ada King").await;
    assert_eq!(browser.text(".flash").await, "Updated Ada King");

    browser.follow(".actions a[href$='/delete']").await;
    browser.wait_for_heading("Delete Ada King?").await;
    browser.assert_accessible("the delete confirmation").await;
    browser.follow("form button.button-danger").await;
    browser.wait_for_heading("People").await;
    assert_eq!(browser.path().await, "/people");
    assert_eq!(browser.text(".flash p").await, "Deleted Ada King.");
    assert!(browser.body_text().await.contains("No people yet."));
    browser.assert_accessible("the list with an Undo").await;

    // Undo: Ada is back, with her history.
    browser.follow(".flash-undo button").await;
    browser.wait_for_heading("Ada King").await;
    assert_eq!(browser.text(".flash").await, "Restored Ada King");
    let history = browser.text(".history").await;
    assert!(
        history.contains("Renamed from Ada Lovelace to Ada King"),
        "{history}"
    );
    assert!(
        history.contains("Moved to the trash as Ada King"),
        "{history}"
    );
    browser
        .assert_accessible("a person's page with history")
        .await;

    // Delete selected from the list, then the trash: Restore.
    browser.goto("/people").await;
    browser.wait_for_heading("People").await;
    browser.assert_accessible("the list with checkboxes").await;
    browser.click(".row-select").await;
    // The list answers at its own address: wait for the message instead of a new path.
    browser.click(".bulk-actions button").await;
    browser.wait_for_flash("Deleted Ada King.").await;
    browser.follow(".list-trash a").await;
    browser.wait_for_heading("Trash").await;
    browser.assert_accessible("the trash").await;
    browser.follow(".people-list form button").await;
    browser.wait_for_heading("Ada King").await;
    assert_eq!(browser.text(".flash").await, "Restored Ada King");
}

async fn a_refused_name_is_shown_next_to_the_field_and_the_summary_takes_focus(browser: &Browser) {
    browser.goto("/people/new").await;
    browser.wait_for_heading("Add a person").await;
    browser.click(".person-form button[type=submit]").await;
    let summary = browser.find(".error-summary").await;

    assert!(
        browser.focus_is_on(".error-summary").await,
        "the error summary has focus"
    );
    let summary_text = summary.text().await.expect("the summary's text");
    assert!(
        summary_text.contains("There is a problem"),
        "{summary_text}"
    );
    assert!(summary_text.contains("Enter a name."), "{summary_text}");
    let title = browser.client.title().await.expect("a title");
    assert!(title.starts_with("Error: "), "{title}");

    // The message sits in the field's own box, and the input points to it.
    assert!(browser.text("#name-error").await.ends_with("Enter a name."));
    let beside = browser
        .script(
            "return document.getElementById('name-error').closest('.field') \
             .contains(document.getElementById('name'));",
            vec![],
        )
        .await;
    assert_eq!(beside, json!(true));
    assert_eq!(
        browser.attr("#name", "aria-invalid").await.as_deref(),
        Some("true")
    );
    let described_by = browser
        .attr("#name", "aria-describedby")
        .await
        .unwrap_or_default();
    assert!(
        described_by.split(' ').any(|id| id == "name-error"),
        "{described_by}"
    );
    browser.assert_accessible("the form with an error").await;

    // The summary's link takes the user to the field, ready to type.
    browser.click(".error-summary a").await;
    assert!(browser.focus_is_on("#name").await, "the field has focus");
    browser.press("Grace Hopper").await;
    browser.press_and_load(&Key::Enter.to_string()).await;
    browser.wait_for_heading("Grace Hopper").await;
}
