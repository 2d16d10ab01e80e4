//! The pages at a desktop and a phone width: checked by axe-core at both, and saved to
//! `docs/screenshots/` for the README.

use crate::browser_tests;
use crate::support::{Browser, DESKTOP, PHONE};

browser_tests!(the_list_and_a_refused_form_at_desktop_and_phone_widths);

const PEOPLE: &[&str] = &[
    "Ada Lovelace",
    "Alan Turing",
    "Barbara Liskov",
    "Donald Knuth",
    "Edsger Dijkstra",
    "Frances Allen",
    "Grace Hopper",
    "Katherine Johnson",
    "Margaret Hamilton",
    "Radia Perlman",
];

async fn the_list_and_a_refused_form_at_desktop_and_phone_widths(browser: &Browser) {
    browser.seed(PEOPLE).await;
    for (size, width) in [(DESKTOP, "desktop"), (PHONE, "phone")] {
        browser.set_viewport(size).await;
        let inner = browser
            .script("return [innerWidth, innerHeight];", vec![])
            .await;
        assert_eq!(inner, serde_json::json!([size.0, size.1]));

        browser.goto("/people?per_page=6").await;
        browser.wait_for_heading("People").await;
        let overflow = browser
            .script(
                "return document.documentElement.scrollWidth > innerWidth;",
                vec![],
            )
            .await;
        assert_eq!(
            overflow,
            serde_json::json!(false),
            "sideways scrolling at {width} width"
        );
        browser
            .assert_accessible(&format!("the list at {width} width"))
            .await;
        browser.screenshot(&format!("list-{width}")).await;

        browser.goto("/people/new").await;
        browser.wait_for_heading("Add a person").await;
        browser.fill("#name", &"x".repeat(81)).await;
        browser.click(".person-form button[type=submit]").await;
        browser.find(".error-summary").await;
        browser
            .assert_accessible(&format!("the refused form at {width} width"))
            .await;
        browser.screenshot(&format!("form-error-{width}")).await;
    }
}
