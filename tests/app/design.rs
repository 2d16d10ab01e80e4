//! What the designer's pass promises in the HTML: each page's title agrees with its heading
//! and has its own description, the navigation marks where the reader is and offers no link
//! to the page itself, paging says where it is, the person page says when, and crawlers get
//! a `/robots.txt`.

use rocket::http::{ContentType, Status};

use people_test_harness::{TestApp, backend_tests};

backend_tests!(
    titles_agree_with_headings_and_every_page_describes_itself,
    the_navigation_marks_the_list_and_the_add_page_offers_no_add_link,
    paging_says_where_you_are,
    the_person_page_says_when_they_were_added_and_changed,
    robots_txt_keeps_crawlers_out_of_forms_exports_and_the_api,
);

/// The `<title>` and `<h1>` texts, and the meta description, of a page.
fn title_heading_description(body: &str) -> (String, String, String) {
    let between = |start: &str, end: &str| {
        body.split_once(start)
            .and_then(|(_, rest)| rest.split_once(end))
            .map(|(text, _)| text.to_owned())
            .unwrap_or_default()
    };
    (
        between("<title>", "</title>"),
        between("<h1>", "</h1>"),
        between(r#"<meta name="description" content=""#, "\">"),
    )
}

async fn titles_agree_with_headings_and_every_page_describes_itself(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let mut descriptions = Vec::new();
    for (uri, title, heading) in [
        ("/people".to_owned(), "People", "People"),
        (
            "/people?q=ada".to_owned(),
            "People matching “ada”",
            "People matching “ada”",
        ),
        (
            "/people/new".to_owned(),
            "Add a person · People",
            "Add a person",
        ),
        (
            format!("/people/{id}"),
            "Ada Lovelace · People",
            "Ada Lovelace",
        ),
        (
            format!("/people/{id}/edit"),
            "Edit Ada Lovelace · People",
            "Edit Ada Lovelace",
        ),
        (
            format!("/people/{id}/delete"),
            "Delete Ada Lovelace? · People",
            "Delete Ada Lovelace?",
        ),
        (
            "/people/import".to_owned(),
            "Import people · People",
            "Import people",
        ),
        (
            "/people/999".to_owned(),
            "Page not found · People",
            "Page not found",
        ),
    ] {
        let page = app.get(&uri).await;
        let (found_title, found_heading, description) = title_heading_description(&page.body);
        assert_eq!(
            (found_title.as_str(), found_heading.as_str()),
            (title, heading),
            "{uri}"
        );
        assert!(description.len() > 20, "{uri}: description {description:?}");
        descriptions.push(description);
    }
    descriptions.sort();
    descriptions.dedup();
    assert_eq!(
        descriptions.len(),
        8,
        "each page describes itself: {descriptions:#?}"
    );
}

async fn the_navigation_marks_the_list_and_the_add_page_offers_no_add_link(app: TestApp) {
    let add_link = r#"<a class="button button-primary" href="/people/new">Add person</a>"#;
    app.get("/people")
        .await
        .assert_contains(r#"<a class="brand" href="/people" aria-current="page">People</a>"#)
        .assert_contains(add_link);
    app.get("/people/new")
        .await
        .assert_contains(r#"<a class="brand" href="/people">People</a>"#)
        .assert_lacks(add_link);
    // The footer says something a reader can use, not which frameworks made the page.
    app.get("/people/new")
        .await
        .assert_contains(r#"<a href="/people.csv">Download everyone as CSV</a>"#)
        .assert_lacks("Rocket, Diesel and Askama");
}

async fn paging_says_where_you_are(app: TestApp) {
    let names: Vec<String> = (0..7).map(|i| format!("P{i}")).collect();
    app.insert_people(&names).await;
    let first = app.get("/people?per_page=3").await;
    first.assert_contains(r#"<p class="page-range">1–3 of 7</p>"#);
    let second = app.get(&first.link("next").expect("a second page")).await;
    second.assert_contains(r#"<p class="page-range">4–6 of 7</p>"#);
    let third = app.get(&second.link("next").expect("a third page")).await;
    third.assert_contains(r#"<p class="page-range">7–7 of 7</p>"#);
    let back = app.get(&third.link("prev").expect("back")).await;
    back.assert_contains(r#"<p class="page-range">4–6 of 7</p>"#);
    // The other orders count what comes before a page the same way.
    for sort in ["name_desc", "newest"] {
        let first = app.get(&format!("/people?per_page=3&sort={sort}")).await;
        let second = app.get(&first.link("next").expect("a second page")).await;
        second.assert_contains(r#"<p class="page-range">4–6 of 7</p>"#);
        let third = app.get(&second.link("next").expect("a third page")).await;
        third.assert_contains(r#"<p class="page-range">7–7 of 7</p>"#);
    }
    // One page needs no range: the count says it all.
    app.get("/people")
        .await
        .assert_contains("7 people")
        .assert_lacks("page-range");
}

async fn the_person_page_says_when_they_were_added_and_changed(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let page = app.get(&format!("/people/{id}")).await;
    page.assert_contains("<dt>Added</dt>")
        .assert_contains("<dt>Last changed</dt>")
        .assert_contains(" UTC</time>")
        .assert_lacks("Not recorded");
    // The facts' two dates (the history below has dates of its own).
    let facts = page
        .body
        .split("<h2>History</h2>")
        .next()
        .unwrap_or_default();
    let times: Vec<&str> = facts
        .split(r#"<time datetime=""#)
        .skip(1)
        .map(|rest| rest.split_once('"').map_or("", |(at, _)| at))
        .collect();
    assert_eq!(times.len(), 2, "{}", page.body);
    assert!(
        times.iter().all(|at| at.len() == 17 && at.ends_with('Z')),
        "{times:?}"
    );
    app.put_person(id, "Ada King")
        .await
        .assert_redirect(&format!("/people/{id}"));
    app.get(&format!("/people/{id}"))
        .await
        .assert_contains("<h1>Ada King</h1>")
        .assert_contains(" UTC</time>");
}

async fn robots_txt_keeps_crawlers_out_of_forms_exports_and_the_api(app: TestApp) {
    let response = app.client.get("/robots.txt").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type(), Some(ContentType::Plain));
    let text = response.into_string().await.unwrap_or_default();
    assert!(text.starts_with("User-agent: *\n"), "{text}");
    for path in ["/api/", "/people.csv", "/people/new", "/people/import"] {
        assert!(
            text.contains(&format!("Disallow: {path}\n")),
            "{path}: {text}"
        );
    }
}
