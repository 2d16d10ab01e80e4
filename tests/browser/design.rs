//! The designer's pass, in the browser: no page scrolls sideways on a 320 px phone whatever
//! name or search it shows, and axe-core finds nothing on any kind of page in the light or
//! the dark colour scheme. Screenshots of both schemes go to `docs/screenshots/`.

use crate::browser_tests;
use crate::support::{Browser, DESKTOP, PHONE, Scheme};

browser_tests!(
    no_page_scrolls_sideways_at_320_px_with_the_longest_names_and_searches,
    axe_finds_nothing_in_either_colour_scheme,
);

const NARROW: (u32, u32) = (320, 640);

/// The longest name the app accepts, with nowhere to break a line.
fn longest_name() -> String {
    "W".repeat(80)
}

/// Every kind of page, as paths and the heading each shows, for a person `id` named `name`.
fn pages(id: u32, name: &str) -> Vec<(String, String)> {
    let search = "M".repeat(100);
    vec![
        ("/people?per_page=1".into(), "People".into()),
        (
            format!("/people?q={search}"),
            format!("People matching “{search}”"),
        ),
        (
            format!("/people?q={name}"),
            format!("People matching “{name}”"),
        ),
        (format!("/people/{id}"), name.to_owned()),
        (format!("/people/{id}/edit"), format!("Edit {name}")),
        (format!("/people/{id}/delete"), format!("Delete {name}?")),
        ("/people/new".into(), "Add a person".into()),
        ("/people/import".into(), "Import people".into()),
        ("/people/999999".into(), "Page not found".into()),
        ("/people?after=damaged".into(), "Bad request".into()),
    ]
}

async fn assert_no_sideways_scroll(browser: &Browser, what: &str) {
    let widths = browser
        .script(
            "return [document.documentElement.scrollWidth, innerWidth];",
            vec![],
        )
        .await;
    assert!(
        widths[0].as_u64() <= widths[1].as_u64(),
        "{what} scrolls sideways at {}px: {widths}",
        NARROW.0
    );
}

/// The add form refused: `name` with one character too many.
async fn refused_add_form(browser: &Browser, name: &str) {
    browser.goto("/people/new").await;
    browser.wait_for_heading("Add a person").await;
    browser.fill("#name", &format!("{name}W")).await;
    browser.click(".person-form button[type=submit]").await;
    browser.find(".error-summary").await;
}

/// An import preview refusing `name` (taken) and a name twice too long, adding one.
async fn import_preview(browser: &Browser, name: &str) {
    let upload = browser.dir().join("long.csv");
    std::fs::write(
        &upload,
        format!("name\n{name}\n{name}{name}\nSomeone New\n"),
    )
    .expect("a file to import");
    browser.preview_import(&upload).await;
}

async fn no_page_scrolls_sideways_at_320_px_with_the_longest_names_and_searches(browser: &Browser) {
    let name = longest_name();
    browser.seed(&[&name, "Ada Lovelace"]).await;
    browser.set_viewport(NARROW).await;
    for (path, heading) in pages(1, &name) {
        browser.goto(&path).await;
        browser.wait_for_heading(&heading).await;
        assert_no_sideways_scroll(browser, &path).await;
    }
    refused_add_form(browser, &name).await;
    assert_no_sideways_scroll(browser, "the refused add form").await;
    import_preview(browser, &name).await;
    assert_no_sideways_scroll(browser, "the import preview").await;
    browser.screenshot("import-preview-narrow").await;
}

async fn axe_finds_nothing_in_either_colour_scheme(browser: &Browser) {
    let name = longest_name();
    browser.seed(&["Ada Lovelace", "Grace Hopper", &name]).await;
    for scheme in [Scheme::Light, Scheme::Dark] {
        browser.set_color_scheme(scheme).await;
        let scheme_name = scheme.name();
        for (path, heading) in pages(1, "Ada Lovelace") {
            browser.goto(&path).await;
            browser.wait_for_heading(&heading).await;
            browser
                .assert_accessible(&format!("{path} ({scheme_name})"))
                .await;
        }
        refused_add_form(browser, &name).await;
        browser
            .assert_accessible(&format!("the refused add form ({scheme_name})"))
            .await;
        import_preview(browser, "Grace Hopper").await;
        browser
            .assert_accessible(&format!("the import preview ({scheme_name})"))
            .await;

        for (size, width) in [(DESKTOP, "desktop"), (PHONE, "phone")] {
            browser.set_viewport(size).await;
            browser.goto("/people?per_page=2").await;
            browser.wait_for_heading("People").await;
            browser
                .screenshot(&format!("list-{width}-{scheme_name}"))
                .await;
            browser.goto("/people/1").await;
            browser.wait_for_heading("Ada Lovelace").await;
            browser
                .screenshot(&format!("person-{width}-{scheme_name}"))
                .await;
        }
        browser.set_viewport(DESKTOP).await;
    }
}
