//! The list in a browser: paging by its links, searching through the form, sorting by the
//! links, and the state carried along in the address.

use fantoccini::key::Key;

use crate::browser_tests;
use crate::support::Browser;

browser_tests!(searching_sorting_and_paging_keep_the_view_in_the_address);

const PEOPLE: &[&str] = &[
    "Grace Bernstein",
    "Ada Lovelace",
    "Robert Floyd",
    "Alan Turing",
    "Edsger Bergstra",
    "Barbara Liskov",
    "Peter Berners",
    "Donald Knuth",
    "Frances Allen",
    "Adele Goldberg",
];

async fn searching_sorting_and_paging_keep_the_view_in_the_address(browser: &Browser) {
    browser.seed(PEOPLE).await;

    browser.goto("/people?per_page=3").await;
    assert_eq!(
        browser.names().await,
        ["Ada Lovelace", "Adele Goldberg", "Alan Turing"]
    );
    assert_eq!(browser.text(".match-count").await, "10 people");
    assert!(browser.find_all("a[rel=prev]").await.is_empty());
    browser.assert_accessible("a list with pages").await;

    browser.follow("a[rel=next]").await;
    assert!(
        browser
            .path()
            .await
            .starts_with("/people?per_page=3&after="),
        "{}",
        browser.path().await
    );
    assert_eq!(
        browser.names().await,
        ["Barbara Liskov", "Donald Knuth", "Edsger Bergstra"]
    );
    browser.follow("a[rel=next]").await;
    browser.follow("a[rel=next]").await;
    assert_eq!(browser.names().await, ["Robert Floyd"]);
    assert!(browser.find_all("a[rel=next]").await.is_empty());
    browser.follow("a[rel=prev]").await;
    assert_eq!(
        browser.names().await,
        ["Frances Allen", "Grace Bernstein", "Peter Berners"]
    );

    // A search starts from the first page and keeps the page size. (Three letters, so it
    // looks anywhere in the names: "Robert" and "Goldberg" too.)
    browser.fill("#q", "BER").await;
    browser.press_and_load(&Key::Enter.to_string()).await;
    assert_eq!(browser.path().await, "/people?q=BER&per_page=3");
    assert_eq!(
        browser.names().await,
        ["Adele Goldberg", "Edsger Bergstra", "Grace Bernstein"]
    );
    assert_eq!(browser.text(".match-count").await, "5 people match “BER”");
    browser.follow("a[rel=next]").await;
    assert!(
        browser
            .path()
            .await
            .starts_with("/people?q=BER&per_page=3&after=")
    );
    assert_eq!(browser.names().await, ["Peter Berners", "Robert Floyd"]);

    // Sorting keeps the search and the page size, and starts from the top.
    browser
        .follow(".sort-links a[href*='sort=name_desc']")
        .await;
    assert_eq!(
        browser.path().await,
        "/people?q=BER&sort=name_desc&per_page=3"
    );
    assert_eq!(
        browser.names().await,
        ["Robert Floyd", "Peter Berners", "Grace Bernstein"]
    );
    assert_eq!(
        browser
            .attr(".sort-links a[aria-current]", "href")
            .await
            .as_deref(),
        Some("/people?q=BER&sort=name_desc&per_page=3")
    );

    browser.fill("#q", "zzz").await;
    browser.press_and_load(&Key::Enter.to_string()).await;
    assert!(browser.body_text().await.contains("Nobody matches “zzz”."));
    browser.assert_accessible("a search with no matches").await;
    browser.follow(".empty-state a[href^='/people?']").await;
    assert_eq!(browser.path().await, "/people?sort=name_desc&per_page=3");
    assert_eq!(
        browser.names().await,
        ["Robert Floyd", "Peter Berners", "Grace Bernstein"]
    );
}
