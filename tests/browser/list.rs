//! The list in a browser: paging by its links, searching through the form, sorting by the
//! links, and the state carried along in the address.

use fantoccini::key::Key;

use crate::browser_tests;
use crate::support::Browser;

browser_tests!(searching_sorting_and_paging_keep_the_view_in_the_address);

const PEOPLE: &[&str] = &[
    "Grace Hopper",
    "Ada Lovelace",
    "Robert Floyd",
    "Alan Turing",
    "Edsger Dijkstra",
    "Barbara Liskov",
    "Peter Naur",
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
        ["Barbara Liskov", "Donald Knuth", "Edsger Dijkstra"]
    );
    browser.follow("a[rel=next]").await;
    browser.follow("a[rel=next]").await;
    assert_eq!(browser.names().await, ["Robert Floyd"]);
    assert!(browser.find_all("a[rel=next]").await.is_empty());
    browser.follow("a[rel=prev]").await;
    assert_eq!(
        browser.names().await,
        ["Frances Allen", "Grace Hopper", "Peter Naur"]
    );

    // A search starts from the first page and keeps the page size.
    browser.fill("#q", "ER").await;
    browser.press_and_load(&Key::Enter.to_string()).await;
    assert_eq!(browser.path().await, "/people?q=ER&per_page=3");
    assert_eq!(
        browser.names().await,
        ["Adele Goldberg", "Edsger Dijkstra", "Grace Hopper"]
    );
    assert_eq!(browser.text(".match-count").await, "5 people match “ER”");
    browser.follow("a[rel=next]").await;
    assert!(
        browser
            .path()
            .await
            .starts_with("/people?q=ER&per_page=3&after=")
    );
    assert_eq!(browser.names().await, ["Peter Naur", "Robert Floyd"]);

    // Sorting keeps the search and the page size, and starts from the top.
    browser
        .follow(".sort-links a[href*='sort=name_desc']")
        .await;
    assert_eq!(
        browser.path().await,
        "/people?q=ER&sort=name_desc&per_page=3"
    );
    assert_eq!(
        browser.names().await,
        ["Robert Floyd", "Peter Naur", "Grace Hopper"]
    );
    assert_eq!(
        browser
            .attr(".sort-links a[aria-current]", "href")
            .await
            .as_deref(),
        Some("/people?q=ER&sort=name_desc&per_page=3")
    );

    browser.fill("#q", "zzz").await;
    browser.press_and_load(&Key::Enter.to_string()).await;
    assert!(browser.body_text().await.contains("Nobody matches “zzz”."));
    browser.assert_accessible("a search with no matches").await;
    browser.follow(".empty-state a[href^='/people?']").await;
    assert_eq!(browser.path().await, "/people?sort=name_desc&per_page=3");
    assert_eq!(
        browser.names().await,
        ["Robert Floyd", "Peter Naur", "Grace Hopper"]
    );
}
