//! Search and sort through the indexes (issue 10): the same answers as a plain filter of the
//! names, folded as keys are; short searches match the start of names and say so; the
//! trigram index kept in step with every write; the order by key on both backends; cursors
//! from before the order changed.

use people::person_name::key_of;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rocket::http::Status;
use rocket::tokio::runtime::Handle;
use rocket::tokio::task::block_in_place;

use people_test_harness::{TestApp, backend_tests, percent_encode};

backend_tests!(
    search_answers_as_a_plain_filter_of_the_same_names_would,
    non_ascii_searches_fold_like_keys,
    sorting_ignores_case_the_same_way_on_both_backends,
    short_searches_match_the_start_of_names_and_say_so,
    the_index_follows_creates_renames_and_deletes,
    rare_and_common_text_page_through_many_people,
    old_cursors_from_bookmarks_are_a_clear_400,
);

/// What the app must answer: every name whose key holds the folded search (3+ characters)
/// or starts with it (1-2), in key order.
fn model(names: &[String], q: &str) -> Vec<String> {
    let text = key_of(q);
    let mut found: Vec<&String> = names
        .iter()
        .filter(|name| match text.chars().count() >= 3 {
            true => key_of(name).contains(&text),
            false => key_of(name).starts_with(&text),
        })
        .collect();
    found.sort_by_key(|name| key_of(name));
    found.into_iter().cloned().collect()
}

/// Every name the list shows for `q`, following Next to the end.
async fn all_pages(app: &TestApp, q: &str, per_page: usize) -> Vec<String> {
    let mut uri = format!("/people?q={}&per_page={per_page}", percent_encode(q));
    let mut names = Vec::new();
    loop {
        let page = app.get(&uri).await;
        assert_eq!(page.status, Status::Ok, "{uri}: {}", page.body);
        names.extend(page.names());
        match page.link("next") {
            Some(next) => uri = next,
            None => return names,
        }
    }
}

/// `all_pages` through the JSON API, whose names are not HTML-escaped.
async fn api_pages(app: &TestApp, q: &str, per_page: usize) -> Vec<String> {
    let mut uri = format!("/api/people?q={}&per_page={per_page}", percent_encode(q));
    let mut names = Vec::new();
    loop {
        let page = app.api_get(&uri).await;
        let next = page.assert_json(Status::Ok)["next"]
            .as_str()
            .map(str::to_owned);
        names.extend(page.names());
        match next {
            Some(next) => uri = next,
            None => return names,
        }
    }
}

fn block<F: Future>(future: F) -> F::Output {
    block_in_place(|| Handle::current().block_on(future))
}

async fn search_answers_as_a_plain_filter_of_the_same_names_would(app: TestApp) {
    // Names from a small alphabet, so searches hit often: cases, accents composed and not,
    // the `LIKE` wildcards and escape, quotes, FTS operators.
    let alphabet = "[aAbBëË%_\\\\\"'*: -]";
    let names: Vec<String> = {
        let mut runner = TestRunner::new(Config {
            failure_persistence: None,
            ..Config::default()
        });
        let name = proptest::string::string_regex(&format!("{alphabet}{{1,8}}")).expect("regex");
        let strategy = proptest::collection::vec(name, 40..60);
        let mut names = strategy.new_tree(&mut runner).expect("names").current();
        // Unique keys and valid names only, as the app would hold them.
        let mut keys = std::collections::HashSet::new();
        names.retain(|name| {
            people::person_name::PersonName::parse(name).is_ok() && keys.insert(key_of(name))
        });
        names
    };
    app.insert_people(&names).await;
    let stored: Vec<String> = names
        .iter()
        .map(|n| {
            people::person_name::PersonName::parse(n)
                .unwrap()
                .to_string()
        })
        .collect();
    let config = Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    };
    let query =
        proptest::string::string_regex(&format!("{alphabet}{{1,4}}(e\u{301})?")).expect("regex");
    let result = TestRunner::new(config).run(&query, |q| {
        let shown = block(api_pages(&app, &q, 7));
        prop_assert_eq!(shown, model(&stored, &q), "q={:?}", q);
        Ok::<(), TestCaseError>(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

async fn non_ascii_searches_fold_like_keys(app: TestApp) {
    app.insert_people(&["ZOË Smith", "Zoe Jones", "Łukasz", "Søren Kierkegaard"])
        .await;
    assert_eq!(app.get("/people?q=zo%C3%AB").await.names(), ["ZOË Smith"]);
    // "e" and a combining acute accent is "é": composed before searching.
    assert_eq!(
        app.get(&format!("/people?q={}", percent_encode("ZOE\u{308}")))
            .await
            .names(),
        ["ZOË Smith"]
    );
    assert_eq!(app.get("/people?q=%C5%82uk").await.names(), ["Łukasz"]);
    assert_eq!(
        app.get(&format!("/people?q={}", percent_encode("SØREN")))
            .await
            .names(),
        ["Søren Kierkegaard"]
    );
    let api = app.api_get("/api/people?q=zo%C3%AB").await;
    assert_eq!(api.names(), ["ZOË Smith"]);
}

async fn sorting_ignores_case_the_same_way_on_both_backends(app: TestApp) {
    app.insert_people(&["Alan", "adele", "Ada", "BOB", "ábel", "Zed", "bea"])
        .await;
    // By key, bytewise: ASCII letters before accented ones on both backends.
    let expected = ["Ada", "adele", "Alan", "bea", "BOB", "Zed", "ábel"];
    assert_eq!(app.listed_names().await, expected);
    let mut reversed = expected;
    reversed.reverse();
    assert_eq!(
        app.get("/people?sort=name_desc").await.names(),
        reversed.to_vec()
    );
    // One per page, forward and back, through cursors that carry the key.
    let pages: Vec<String> = all_pages(&app, "", 1).await;
    assert_eq!(pages, expected);
    let first = app.get("/people?per_page=1").await;
    let next = first.link("next").expect("a next page");
    assert!(next.ends_with("after=3:ada"), "{next}");
    assert_eq!(app.api_get("/api/people").await.names(), expected);
}

async fn short_searches_match_the_start_of_names_and_say_so(app: TestApp) {
    app.insert_people(&["Ada", "Conrad", "ADAM", "Bo", "Abe", "Al"])
        .await;
    let page = app.get("/people?q=AD").await;
    page.assert_html(Status::Ok)
        .assert_contains("Showing names that start with “AD”.")
        .assert_contains(r#"aria-describedby="search-hint""#)
        .assert_contains("2 people match “AD”");
    assert_eq!(page.names(), ["Ada", "ADAM"]);
    assert_eq!(
        app.get("/people?q=a").await.names(),
        ["Abe", "Ada", "ADAM", "Al"]
    );
    // Three characters look anywhere, and the hint is gone.
    let page = app.get("/people?q=ada").await;
    page.assert_lacks("start with");
    assert_eq!(page.names(), ["Ada", "ADAM"]);
    assert_eq!(app.get("/people?q=rad").await.names(), ["Conrad"]);
    app.get("/people?q=zz")
        .await
        .assert_contains("Nobody matches “zz” at the start of a name.");
    assert_eq!(app.api_get("/api/people?q=bo").await.names(), ["Bo"]);
}

async fn the_index_follows_creates_renames_and_deletes(app: TestApp) {
    let id = app.create_person("Marie Curie").await;
    assert_eq!(app.get("/people?q=curie").await.names(), ["Marie Curie"]);
    app.put_person(id, "Marie Skłodowska").await;
    assert!(app.get("/people?q=curie").await.names().is_empty());
    assert_eq!(
        app.get("/people?q=sk%C5%82o").await.names(),
        ["Marie Skłodowska"]
    );
    // A rename that changes only the case keeps the key, and the index entry.
    app.put_person(id, "MARIE SKŁODOWSKA").await;
    assert_eq!(
        app.get("/people?q=odow").await.names(),
        ["MARIE SKŁODOWSKA"]
    );
    let page = app
        .post_form(&format!("/people/{id}"), &[("_method", "delete")])
        .await;
    assert!(page.status.code < 400, "{}", page.body);
    assert!(app.get("/people?q=odow").await.names().is_empty());
    app.create_person("Pierre Curie").await;
    assert_eq!(app.get("/people?q=curie").await.names(), ["Pierre Curie"]);
    assert_eq!(
        app.api_get("/api/people?q=curie").await.names(),
        ["Pierre Curie"]
    );
}

/// More people than a walk reads (2,000), so both ways of reading a search are used: common
/// text fills its pages from a walk, rare text and text far down the order come from the
/// trigram index. Paging either way gives each match once, in order, with the right count.
async fn rare_and_common_text_page_through_many_people(app: TestApp) {
    let mut names: Vec<String> = (0..2600).map(|i| format!("Person {i:04} common")).collect();
    names.truncate(2500);
    names.extend((0..60).map(|i| format!("Zz Rare {i:02}")));
    names.push("Aaa Rare First".to_owned());
    app.insert_people(&names).await;

    let rare = all_pages(&app, "rare", 25).await;
    let mut expected: Vec<String> = vec!["Aaa Rare First".to_owned()];
    expected.extend((0..60).map(|i| format!("Zz Rare {i:02}")));
    assert_eq!(rare, expected);
    app.get("/people?q=rare")
        .await
        .assert_contains("61 people match “rare”");

    let common = all_pages(&app, "common", 100).await;
    assert_eq!(common.len(), 2500);
    assert_eq!(common, model(&names, "common"));
    app.get("/people?q=common")
        .await
        .assert_contains("1,000+ people match “common”");

    // Backwards from the last page, newest first too.
    let newest = app.get("/people?q=rare&sort=newest&per_page=10").await;
    assert_eq!(newest.names()[0], "Aaa Rare First");
    let next = newest.link("next").expect("a second page");
    let second = app.get(&next).await;
    assert_eq!(second.names()[0], "Zz Rare 50");
    let back = app
        .get(&second.link("prev").expect("a previous page"))
        .await;
    assert_eq!(back.names(), newest.names());
    assert!(app.get("/people?q=absent-text").await.names().is_empty());
}

async fn old_cursors_from_bookmarks_are_a_clear_400(app: TestApp) {
    app.insert_people(&["Ada Lovelace", "Grace Hopper"]).await;
    // Before the list sorted by key, a cursor carried the name.
    for uri in [
        "/people?after=1:Ada%20Lovelace",
        "/people?before=2:Grace%20Hopper&sort=name_desc",
    ] {
        app.get(uri)
            .await
            .assert_html(Status::BadRequest)
            .assert_contains("Start again from the first page.");
    }
    let api = app.api_get("/api/people?after=1:Ada%20Lovelace").await;
    api.assert_json(Status::BadRequest);
    // A name that is its own key reads as the key it is.
    assert_eq!(
        app.get("/people?after=1:ada%20lovelace").await.names(),
        ["Grace Hopper"]
    );
}
