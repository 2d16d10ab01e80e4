//! Methods Rocket 0.5 cannot parse (QUERY, PROPFIND, ...) never reach a route; only a real
//! socket can send one, so this is here rather than in `tests/app/methods.rs`. On a path that
//! exists they are the 405 they mean, with `Allow`; elsewhere Rocket's 400 stands.

use people_test_harness::{AppProcess, TestDatabase};

use crate::PEOPLE;

#[test]
fn methods_rocket_cannot_parse_are_405s_on_known_paths() {
    let db = TestDatabase::sqlite();
    let mut app = AppProcess::spawn(PEOPLE, &db.url());
    app.wait_until_healthy();
    for (method, path, json) in [
        ("QUERY", "/api/people", true),
        ("PROPFIND", "/api/people/1", true),
        ("QUERY", "/people", false),
    ] {
        let response = app.request(method, path, &[], None).expect("an answer");
        assert_eq!(response.status, 405, "{method} {path}: {}", response.body);
        assert!(
            response
                .header("Allow")
                .is_some_and(|allow| allow.starts_with("GET, HEAD"))
        );
        assert_eq!(
            response
                .body
                .starts_with("{\"error\":\"method not allowed\""),
            json,
            "{method} {path}: {}",
            response.body
        );
    }
    let unknown = app
        .request("QUERY", "/nowhere", &[], None)
        .expect("an answer");
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    assert_eq!(unknown.header("Allow"), None);
}
