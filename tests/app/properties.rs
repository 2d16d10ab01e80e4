//! Property tests: arbitrary names, form bodies and paths thrown at the app. Never a 5xx, and
//! a refused request leaves the database as it was. Names are checked against a model of
//! the rules (PersonName::parse and a set of taken keys).

use std::cell::RefCell;
use std::collections::HashSet;
use std::future::Future;

use people::person_name::PersonName;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rocket::tokio::runtime::Handle;
use rocket::tokio::task::block_in_place;

use people_test_harness::{TestApp, backend_tests, encode_form};

backend_tests!(
    arbitrary_names_are_saved_or_refused_exactly_as_the_rules_say,
    arbitrary_form_bodies_never_fail_the_server_and_refusals_change_nothing,
    arbitrary_paths_never_fail_the_server,
);

/// Runs a proptest property inside an async test, shrinking failures as usual.
fn check<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let config = Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    };
    if let Err(failure) = TestRunner::new(config).run(&strategy, test) {
        panic!("{failure}");
    }
}

fn block<F: Future>(future: F) -> F::Output {
    block_in_place(|| Handle::current().block_on(future))
}

fn names() -> impl Strategy<Value = String> {
    prop_oneof![
        // Printable text of any script, spaces included.
        "[\\PC ]{0,90}",
        // Whitespace of every kind, control characters and combining marks mixed in.
        "[a-cA-C \\t\\n\\r\u{a0}\u{3000}\u{0}\u{1b}\u{7f}\u{202e}\u{301}é李]{0,12}",
        // Case variants of a few names, to collide.
        "(ada|ADA|Ada) {1,3}(lovelace|LOVELACE)",
    ]
}

async fn arbitrary_names_are_saved_or_refused_exactly_as_the_rules_say(app: TestApp) {
    let taken = RefCell::new(HashSet::new());
    check(names(), |raw| {
        let page = block(app.post_form("/people", &[("name", &raw)]));
        let expected = match PersonName::parse(&raw) {
            Err(_) => 422,
            Ok(name) if taken.borrow_mut().insert(name.key()) => 303,
            Ok(_) => 422,
        };
        prop_assert_eq!(page.status.code, expected, "{:?}: {}", raw, page.body);
        Ok(())
    });
    let expected = taken.borrow().len();
    assert_eq!(block(app.count()), expected);
}

fn field_names() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("name".to_owned()),
        Just("version".to_owned()),
        Just("creation_key".to_owned()),
        Just("_method".to_owned()),
        "[a-z_\\[\\]\\.]{0,8}",
    ]
}

fn form_fields() -> impl Strategy<Value = (Vec<(String, String)>, bool, u8)> {
    let value = prop_oneof![
        "[\\PC]{0,20}",
        "[0-9-]{0,12}",
        Just("put".to_owned()),
        Just("delete".to_owned())
    ];
    (
        prop::collection::vec((field_names(), value), 0..5),
        any::<bool>(),
        0u8..3,
    )
}

async fn arbitrary_form_bodies_never_fail_the_server_and_refusals_change_nothing(app: TestApp) {
    let id = app.create_person("Ada Lovelace").await;
    let token = app.csrf_token().await;
    check(form_fields(), |(fields, with_token, target)| {
        let mut fields = fields;
        if with_token {
            fields.push(("csrf_token".to_owned(), token.clone()));
        }
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let uri = match target {
            0 => "/people".to_owned(),
            1 => format!("/people/{id}"),
            _ => "/people/424242".to_owned(),
        };
        let before = block(app.listed_names());
        let page = block(app.post_raw(&uri, &encode_form(&pairs), &[]));
        prop_assert!(
            page.status.code < 500,
            "{:?} -> {}: {}",
            pairs,
            page.status,
            page.body
        );
        if page.status.code != 303 {
            prop_assert_eq!(
                block(app.listed_names()),
                before,
                "refused {:?} changed data",
                pairs
            );
        }
        Ok(())
    });
}

async fn arbitrary_paths_never_fail_the_server(app: TestApp) {
    app.create_person("Ada Lovelace").await;
    let paths =
        "(/(people|static|api|health|[a-zA-Z0-9._~-]{0,10}|%[0-9A-Fa-f]{2}|-?[0-9]{1,25})){1,4}";
    check(paths, |path| {
        for method in ["GET", "POST", "PUT", "DELETE"] {
            let request = match method {
                "GET" => app.client.get(path.clone()),
                "POST" => app.client.post(path.clone()),
                "PUT" => app.client.put(path.clone()),
                _ => app.client.delete(path.clone()),
            };
            let status = block(request.dispatch()).status();
            prop_assert!(status.code < 500, "{} {} -> {}", method, path, status);
        }
        Ok(())
    });
    assert_eq!(block(app.listed_names()), ["Ada Lovelace"]);
}
