//! Keyboard alone: every step of adding and deleting a person reached with Tab and Enter,
//! with a visible focus indicator on everything that takes focus, and axe-core catching
//! what it can on its own.

use fantoccini::key::Key;
use serde_json::json;

use crate::browser_tests;
use crate::support::Browser;

browser_tests!(
    keyboard_alone_adds_and_deletes_a_person_with_focus_always_visible,
    the_accessibility_check_does_find_problems,
);

/// Tabs forward until the focused element matches `css`, checking on the way that every
/// stop shows where focus is.
async fn tab_to(browser: &Browser, css: &str) {
    for _ in 0..20 {
        browser.press(&Key::Tab.to_string()).await;
        assert_focus_visible(browser).await;
        if browser.focus_is_on(css).await {
            return;
        }
    }
    panic!("Tab never reached {css} on {}", browser.path().await);
}

/// The focused element has an outline of our focus style, in view.
async fn assert_focus_visible(browser: &Browser) {
    let focus = browser
        .script(
            "const el = document.activeElement; const style = getComputedStyle(el); \
             const box = el.getBoundingClientRect(); \
             return {tag: el.tagName, text: el.textContent.trim().slice(0, 40), \
                     outline: style.outlineStyle, width: parseFloat(style.outlineWidth), \
                     visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};",
            vec![],
        )
        .await;
    assert!(
        focus["outline"] != json!("none") && focus["width"].as_f64() >= Some(2.0),
        "no visible focus indicator: {focus}"
    );
    assert_eq!(
        focus["visible"],
        json!(true),
        "focus is off screen: {focus}"
    );
}

async fn keyboard_alone_adds_and_deletes_a_person_with_focus_always_visible(browser: &Browser) {
    browser.goto("/people").await;
    browser.wait_for_heading("People").await;

    // The first Tab reaches the skip link, which shows itself when focused.
    browser.press(&Key::Tab.to_string()).await;
    assert!(browser.focus_is_on(".skip-link").await);
    assert_focus_visible(browser).await;
    browser.press(&Key::Enter.to_string()).await;
    tab_to(browser, ".empty-state a").await;
    browser.press_and_load(&Key::Enter.to_string()).await;
    browser.wait_for_heading("Add a person").await;

    tab_to(browser, "#name").await;
    browser.press("Grace Hopper").await;
    tab_to(browser, ".person-form button[type=submit]").await;
    browser.press_and_load(&Key::Enter.to_string()).await;
    browser.wait_for_heading("Grace Hopper").await;

    tab_to(browser, ".actions a[href$='/delete']").await;
    browser.press_and_load(&Key::Enter.to_string()).await;
    browser.wait_for_heading("Delete Grace Hopper?").await;
    tab_to(browser, "form button.button-danger").await;
    browser.press_and_load(&Key::Enter.to_string()).await;
    browser.wait_for_heading("People").await;
    assert_eq!(browser.text(".flash p").await, "Deleted Grace Hopper.");

    // Undo, from the keyboard: Grace is back on her page.
    tab_to(browser, ".flash-undo button").await;
    browser.press_and_load(&Key::Enter.to_string()).await;
    browser.wait_for_heading("Grace Hopper").await;
    assert_eq!(browser.text(".flash").await, "Restored Grace Hopper");

    // Several at once: tick Grace's box with Space, then Delete selected.
    browser.goto("/people").await;
    browser.wait_for_heading("People").await;
    tab_to(browser, ".row-select").await;
    browser.press(" ").await;
    let checked = browser
        .script(
            "return document.querySelector('.row-select').checked;",
            vec![],
        )
        .await;
    assert_eq!(checked, json!(true));
    tab_to(browser, ".bulk-actions button").await;
    // The list answers at its own address: wait for the message instead of a new path.
    browser.press(&Key::Enter.to_string()).await;
    browser.wait_for_flash("Deleted Grace Hopper.").await;
}

/// Guards the guard: a check that cannot fail would make every axe assertion above
/// meaningless.
async fn the_accessibility_check_does_find_problems(browser: &Browser) {
    browser.goto("/people/new").await;
    browser.wait_for_heading("Add a person").await;
    browser
        .script(
            "document.querySelector('label[for=name]').remove(); \
             document.querySelector('main').append(document.createElement('img'));",
            vec![],
        )
        .await;
    let violations = browser.accessibility_violations().await;
    let rules: Vec<&str> = violations
        .iter()
        .filter_map(|violation| violation["rule"].as_str())
        .collect();
    assert!(rules.contains(&"label"), "{rules:?}");
    assert!(rules.contains(&"image-alt"), "{rules:?}");
}
