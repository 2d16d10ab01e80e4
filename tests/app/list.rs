//! The list page: keyset paging, search, sort, page size, counts, empty states, and the
//! state kept in the URL.

use rocket::http::Status;

use people_test_harness::{TestApp, backend_tests, percent_encode};

backend_tests!(
    pages_follow_each_other_by_name_with_next_and_previous,
    paging_by_name_neither_repeats_nor_skips_while_people_are_added,
    paging_newest_first_neither_repeats_nor_skips_while_people_are_added,
    paging_survives_the_cursor_row_being_deleted,
    search_ignores_case_and_matches_anywhere_in_the_name,
    search_treats_wildcards_and_backslashes_literally,
    sorts_by_name_both_ways_and_by_newest,
    pagination_links_keep_search_sort_and_page_size,
    sort_links_and_the_search_form_keep_the_other_settings,
    page_size_defaults_to_50_and_stays_within_1_to_100,
    the_match_count_is_exact_up_to_1000,
    empty_states_say_why_the_list_is_empty,
    a_cursor_past_the_end_offers_the_first_page,
    unknown_sorts_and_page_sizes_fall_back_to_defaults,
    damaged_cursors_and_overlong_searches_are_clear_400s,
    odd_search_text_is_harmless,
    search_text_is_shown_escaped,
);

/// Follows `rel="next"` from `first` to the end, returning every page's names.
async fn walk(app: &TestApp, first: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut uri = Some(first.to_owned());
    while let Some(current) = uri {
        let page = app.get(&current).await;
        pages.push(page.names());
        uri = page.link("next");
        assert!(pages.len() < 100, "paging does not end");
    }
    pages
}

async fn pages_follow_each_other_by_name_with_next_and_previous(app: TestApp) {
    app.insert_people(&[
        "Grace", "Alan", "Edsger", "Ada", "Barbara", "Donald", "Frances",
    ])
    .await;
    let first = app.get("/people?per_page=3").await;
    assert_eq!(first.names(), ["Ada", "Alan", "Barbara"]);
    assert_eq!(first.link("prev"), None);
    first.assert_contains(r#"<nav class="pagination" aria-label="Pagination">"#);

    let second = app.get(&first.link("next").expect("a next page")).await;
    assert_eq!(second.names(), ["Donald", "Edsger", "Frances"]);
    let third = app.get(&second.link("next").expect("a third page")).await;
    assert_eq!(third.names(), ["Grace"]);
    assert_eq!(third.link("next"), None);

    let back = app.get(&third.link("prev").expect("a previous page")).await;
    assert_eq!(back.names(), ["Donald", "Edsger", "Frances"]);
    let start = app.get(&back.link("prev").expect("the first page")).await;
    assert_eq!(start.names(), ["Ada", "Alan", "Barbara"]);
    assert_eq!(start.link("prev"), None);
}

async fn paging_by_name_neither_repeats_nor_skips_while_people_are_added(app: TestApp) {
    app.insert_people(&["B", "D", "F", "H", "J", "L"]).await;
    let first = app.get("/people?per_page=2").await;
    assert_eq!(first.names(), ["B", "D"]);
    // Someone adds people before, between and after the rows already seen.
    app.insert_people(&["A", "C", "E", "K", "Z"]).await;
    let rest = walk(&app, &first.link("next").expect("a next page")).await;
    let seen: Vec<String> = first.names().into_iter().chain(rest.concat()).collect();
    assert_eq!(seen, ["B", "D", "E", "F", "H", "J", "K", "L", "Z"]);
}

async fn paging_newest_first_neither_repeats_nor_skips_while_people_are_added(app: TestApp) {
    app.insert_people(&["one", "two", "three", "four", "five"])
        .await;
    let first = app.get("/people?sort=newest&per_page=2").await;
    assert_eq!(first.names(), ["five", "four"]);
    // With OFFSET, these would push "four" onto page two again.
    app.insert_people(&["six", "seven"]).await;
    let rest = walk(&app, &first.link("next").expect("a next page")).await;
    assert_eq!(rest, [vec!["three", "two"], vec!["one"]]);
}

async fn paging_survives_the_cursor_row_being_deleted(app: TestApp) {
    app.insert_people(&["A", "B", "C", "D", "E"]).await;
    let first = app.get("/people?per_page=2").await;
    assert_eq!(first.names(), ["A", "B"]);
    let b = app.get("/people?q=B").await;
    let b_id = b
        .body
        .split_once(r#"<a class="person-name" href="/people/"#)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(id, _)| id.to_owned())
        .expect("B is listed");
    app.post_form(&format!("/people/{b_id}"), &[("_method", "delete")])
        .await
        .assert_redirect("/people");
    let second = app.get(&first.link("next").expect("a next page")).await;
    assert_eq!(second.names(), ["C", "D"]);
}

async fn search_ignores_case_and_matches_anywhere_in_the_name(app: TestApp) {
    app.insert_people(&[
        "Ada Lovelace",
        "Grace Hopper",
        "ADAM SMITH",
        "Madame Curie",
        "Bob",
    ])
    .await;
    let page = app.get("/people?q=ada").await;
    page.assert_html(Status::Ok)
        .assert_contains(r#"<input id="q" name="q" type="search" value="ada""#)
        .assert_contains("3 people match “ada”");
    // In key order: "ada lovelace" < "adam smith", whatever the case.
    assert_eq!(page.names(), ["Ada Lovelace", "ADAM SMITH", "Madame Curie"]);
    assert_eq!(app.get("/people?q=LOVE").await.names(), ["Ada Lovelace"]);
    assert_eq!(
        app.get("/people?q=+hopper+").await.names(),
        ["Grace Hopper"]
    );
    app.get("/people?q=bob")
        .await
        .assert_contains("1 person matches “bob”");
}

async fn search_treats_wildcards_and_backslashes_literally(app: TestApp) {
    app.insert_people(&[
        "100% Cotton",
        "1000 Cotton",
        "a_b",
        "axb",
        r"back\slash",
        "backslash",
        "%off",
        "_under",
        r"\lead",
        r#"Say "hi""#,
        "O'Brien",
        "Or Bran",
    ])
    .await;
    for (q, expected) in [
        // Anywhere in the name (3+ characters).
        ("00%", vec!["100% Cotton"]),
        ("0% c", vec!["100% Cotton"]),
        ("a_b", vec!["a_b"]),
        (r"k\s", vec![r"back\slash"]),
        // (names as the page shows them, escaped)
        (r#""hi""#, vec!["Say &#34;hi&#34;"]),
        (r#"y "h"#, vec!["Say &#34;hi&#34;"]),
        ("o'b", vec!["O&#39;Brien"]),
        ("'", vec![]),
        // At the start of the name (1-2 characters).
        ("%", vec!["%off"]),
        ("_", vec!["_under"]),
        (r"\", vec![r"\lead"]),
        ("0%", vec![]),
        (r#"""#, vec![]),
    ] {
        let page = app.get(&format!("/people?q={}", percent_encode(q))).await;
        assert_eq!(page.names(), expected, "q={q:?}");
    }
}

async fn sorts_by_name_both_ways_and_by_newest(app: TestApp) {
    app.insert_people(&["Bea", "Cy", "Al"]).await;
    assert_eq!(app.get("/people").await.names(), ["Al", "Bea", "Cy"]);
    assert_eq!(
        app.get("/people?sort=name").await.names(),
        ["Al", "Bea", "Cy"]
    );
    assert_eq!(
        app.get("/people?sort=name_desc").await.names(),
        ["Cy", "Bea", "Al"]
    );
    assert_eq!(
        app.get("/people?sort=newest").await.names(),
        ["Al", "Cy", "Bea"]
    );
    app.get("/people?sort=name_desc")
        .await
        .assert_contains(r#"<a href="/people?sort=name_desc" aria-current="true">Name Z–A</a>"#)
        .assert_contains(r#"<a href="/people">Name A–Z</a>"#);
}

async fn pagination_links_keep_search_sort_and_page_size(app: TestApp) {
    app.insert_people(&["Ann", "Anna", "Anne", "Annie", "Bob", "Dann"])
        .await;
    let first = app.get("/people?q=ANN&sort=name_desc&per_page=2").await;
    assert_eq!(first.names(), ["Dann", "Annie"]);
    let next = first.link("next").expect("a next page");
    assert!(
        next.starts_with("/people?q=ANN&sort=name_desc&per_page=2&after="),
        "{next}"
    );
    let second = app.get(&next).await;
    assert_eq!(second.names(), ["Anne", "Anna"]);
    let prev = second.link("prev").expect("a previous page");
    assert!(
        prev.starts_with("/people?q=ANN&sort=name_desc&per_page=2&before="),
        "{prev}"
    );
    assert_eq!(app.get(&prev).await.names(), ["Dann", "Annie"]);
    let pages = walk(&app, &next).await;
    assert_eq!(pages, [vec!["Anne", "Anna"], vec!["Ann"]]);
}

async fn sort_links_and_the_search_form_keep_the_other_settings(app: TestApp) {
    app.insert_people(&["Ann", "Bob", "Cy", "Ann B"]).await;
    let page = app.get("/people?q=n+b&sort=newest&per_page=2").await;
    page.assert_contains(r#"<form class="search-form" method="get" action="/people" role="search">"#)
        .assert_contains(r#"<label for="q">Search by name</label>"#)
        .assert_contains(r#"<input type="hidden" name="sort" value="newest">"#)
        .assert_contains(r#"<input type="hidden" name="per_page" value="2">"#)
        .assert_contains(r#"<a href="/people?q=n%20b&#38;per_page=2">Name A–Z</a>"#)
        .assert_contains(
            r#"<a href="/people?q=n%20b&#38;sort=newest&#38;per_page=2" aria-current="true">Newest first</a>"#,
        );
}

async fn page_size_defaults_to_50_and_stays_within_1_to_100(app: TestApp) {
    let names: Vec<String> = (0..120).map(|i| format!("Person {i:03}")).collect();
    app.insert_people(&names).await;
    let default = app.get("/people").await;
    assert_eq!(default.names(), names[..50]);
    assert!(default.link("next").is_some());
    assert_eq!(app.get("/people?per_page=1000").await.names(), names[..100]);
    assert_eq!(app.get("/people?per_page=100").await.names(), names[..100]);
    assert_eq!(app.get("/people?per_page=0").await.names(), names[..1]);
    assert_eq!(app.get("/people?per_page=-7").await.names(), names[..1]);
    let pages = walk(&app, "/people?per_page=100").await;
    assert_eq!(pages.concat(), names);
    assert_eq!(pages.len(), 2);
}

async fn the_match_count_is_exact_up_to_1000(app: TestApp) {
    let names: Vec<String> = (0..1001).map(|i| format!("Person {i:04}")).collect();
    app.insert_people(&names).await;
    app.get("/people").await.assert_contains("1,000+ people");
    app.get("/people?q=person+09")
        .await
        .assert_contains("100 people match “person 09”");
    app.get("/people?q=person+1000")
        .await
        .assert_contains("1 person matches “person 1000”");

    app.insert_people(&["Ada"]).await;
    let deep = app.get("/people?q=ada&per_page=1").await;
    deep.assert_contains("1 person matches “ada”");
}

async fn empty_states_say_why_the_list_is_empty(app: TestApp) {
    app.get("/people")
        .await
        .assert_html(Status::Ok)
        .assert_contains("No people yet.")
        .assert_lacks("role=\"search\"")
        .assert_lacks("aria-label=\"Pagination\"");
    app.insert_people(&["Ada"]).await;
    app.get("/people?q=zzz&sort=newest")
        .await
        .assert_html(Status::Ok)
        .assert_contains("Nobody matches “zzz”.")
        .assert_contains(r#"<a href="/people?sort=newest">Show everyone</a>"#)
        .assert_contains(r#"value="zzz""#)
        // The empty state says it once: no "0 people match" above it, and nothing to sort.
        .assert_lacks("0 people match")
        .assert_lacks(r#"aria-label="Sort order""#)
        .assert_lacks("No people yet.");
    app.get("/people?sort=newest")
        .await
        .assert_contains("1 person")
        .assert_lacks("Nobody matches");
}

async fn a_cursor_past_the_end_offers_the_first_page(app: TestApp) {
    app.insert_people(&["Ada", "Bob"]).await;
    let page = app.get("/people?after=999:zed").await;
    page.assert_html(Status::Ok)
        .assert_contains("Nobody left on this page.")
        .assert_contains(r#"<a href="/people">Go to the first page</a>"#);
    assert_eq!(page.link("prev").as_deref(), Some("/people"));
    let before = app.get("/people?before=0:aaron").await;
    assert_eq!(before.link("next").as_deref(), Some("/people"));
}

async fn unknown_sorts_and_page_sizes_fall_back_to_defaults(app: TestApp) {
    app.insert_people(&["Bea", "Al"]).await;
    for uri in [
        "/people?sort=shoe_size",
        "/people?sort=",
        "/people?per_page=lots",
        "/people?per_page=",
        "/people?per_page=1e3",
        "/people?sort=newest&sort=name_desc",
        "/people?unknown=1",
        "/people?q",
        "/people?q=",
        "/people?q=a&q=b",
    ] {
        let page = app.get(uri).await;
        page.assert_html(Status::Ok);
        assert_eq!(page.names(), ["Al", "Bea"], "{uri}");
    }
}

async fn damaged_cursors_and_overlong_searches_are_clear_400s(app: TestApp) {
    app.insert_people(&["Ada"]).await;
    for (uri, message) in [
        (
            "/people?after=1:Ada&before=1:Ada",
            "Use either `after` or `before`, not both.",
        ),
        ("/people?after=nonsense", "is not one this list made"),
        ("/people?after=1", "is not one this list made"),
        ("/people?before=x:Ada", "is not one this list made"),
        ("/people?after=1:%00", "is not one this list made"),
        (
            &format!("/people?after=1:{}", "a".repeat(253)),
            "is not one this list made",
        ),
        ("/people?after=99999999999:Ada", "is not one this list made"),
    ] {
        app.get(uri)
            .await
            .assert_html(Status::BadRequest)
            .assert_contains("<h1>Bad request</h1>")
            .assert_contains(message);
    }
    let long = "a".repeat(101);
    app.get(&format!("/people?q={long}"))
        .await
        .assert_html(Status::BadRequest)
        .assert_contains("Search for at most 100 characters.");
    let just_right = "a".repeat(100);
    app.get(&format!("/people?q={just_right}"))
        .await
        .assert_html(Status::Ok);
}

async fn odd_search_text_is_harmless(app: TestApp) {
    app.insert_people(&["Ada Lovelace", "Zoë 李小龙"]).await;
    for q in [
        "%00",
        "%FF%FE",
        "Ada%0ALovelace",
        "%27%3B+DROP+TABLE+person%3B--",
        "%E6%9D%8E",
    ] {
        let page = app.get(&format!("/people?q={q}")).await;
        page.assert_html(Status::Ok);
    }
    assert_eq!(
        app.get("/people?q=Ada%0ALovelace").await.names(),
        ["Ada Lovelace"]
    );
    assert_eq!(
        app.get("/people?q=%E6%9D%8E%E5%B0%8F%E9%BE%99")
            .await
            .names(),
        ["Zoë 李小龙"]
    );
    assert_eq!(app.listed_names().await, ["Ada Lovelace", "Zoë 李小龙"]);
}

async fn search_text_is_shown_escaped(app: TestApp) {
    app.insert_people(&["Ada"]).await;
    let q = percent_encode(r#""><script>alert(1)</script>"#);
    app.get(&format!("/people?q={q}"))
        .await
        .assert_html(Status::Ok)
        .assert_lacks("<script>")
        .assert_contains(r#"value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;""#);
}

/// A page leaves in one piece (`routes/whole_bodies.rs`), where Rocket would stream it to
/// the socket in 4 KiB chunks, each its own write.
#[rocket::async_test]
async fn a_page_is_sent_in_one_piece() {
    let app = TestApp::sqlite().await;
    let names: Vec<String> = (0..100).map(|i| format!("Person {i:03}")).collect();
    app.insert_people(&names).await;
    let response = app.client.get("/people?per_page=100").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    let size = response
        .body()
        .preset_size()
        .expect("a page has a known size");
    assert!(
        size > 4096,
        "a page larger than Rocket's default chunk: {size}"
    );
    assert!(response.body().max_chunk_size() >= size);
}
