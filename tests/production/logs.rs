//! What an operator reads: the real binary's log, as text and as JSON lines, parsed here. One
//! request is followed by its id from the request, through the response header, to every
//! line logged about it; slow queries show their SQL without what users typed; an outage and
//! the recovery after it are in the log.

use serde_json::Value;
use tempfile::TempDir;

use people_test_harness::{AppProcess, Response};

use crate::PEOPLE;
use crate::cluster::PgCluster;

/// The binary on a fresh SQLite file, logging at Rocket's `normal` level, with `env`.
fn start(dir: &TempDir, env: &[(&str, &str)]) -> AppProcess {
    let url = format!("sqlite://{}", dir.path().join("people.db").display());
    let mut env = env.to_vec();
    env.push(("ROCKET_LOG_LEVEL", "normal"));
    let mut app = AppProcess::spawn_with_env(PEOPLE, &url, &env);
    app.wait_until_healthy();
    app
}

fn get(app: &AppProcess, path: &str, headers: &[(&str, &str)]) -> Response {
    app.request("GET", path, headers, None)
        .unwrap_or_else(|e| panic!("GET {path}: {e}\n{}", app.log()))
}

/// Every line of the log, each of which must be one JSON object.
fn json_lines(log: &str) -> Vec<Value> {
    log.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}\n{log}"));
            assert!(value.is_object(), "{line}");
            for key in ["timestamp", "level", "target"] {
                assert!(value[key].is_string(), "no {key}: {line}");
            }
            value
        })
        .collect()
}

fn about(lines: &[Value], request_id: &str) -> Vec<Value> {
    lines
        .iter()
        .filter(|line| line["span"]["request_id"] == request_id)
        .cloned()
        .collect()
}

/// The one `people::request` line among `lines`.
fn request_line(lines: &[Value]) -> Value {
    let found: Vec<&Value> = lines
        .iter()
        .filter(|line| line["target"] == "people::request")
        .collect();
    assert_eq!(found.len(), 1, "one request line: {lines:#?}");
    found[0].clone()
}

#[test]
fn json_lines_follow_a_request_by_its_id() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app = start(&dir, &[("ROCKET_LOG_FORMAT", "json")]);
    let created = app
        .request(
            "POST",
            "/api/people",
            &[("Content-Type", "application/json")],
            Some(r#"{"name": "Ada Lovelace"}"#),
        )
        .expect("create");
    assert_eq!(created.status, 201, "{}", created.body);
    let location = created.header("Location").expect("a Location").to_owned();
    let id = location.rsplit('/').next().expect("an id").to_owned();

    let shown = get(
        &app,
        &format!("/people/{id}"),
        &[("X-Request-Id", "trace-show-1")],
    );
    assert_eq!(shown.status, 200);
    assert_eq!(shown.header("X-Request-Id"), Some("trace-show-1"));
    let proxied = get(&app, "/people", &[("X-Real-IP", "203.0.113.7")]);
    let malformed = get(&app, "/people/abc", &[]);
    assert_eq!(malformed.status, 404);
    let malformed_id = malformed.header("X-Request-Id").expect("an id").to_owned();

    let lines = json_lines(&app.log());
    let line = request_line(&about(&lines, "trace-show-1"));
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["method"], "GET");
    assert_eq!(line["route"], "/people/<id>");
    assert_eq!(line["path"], format!("/people/{id}"));
    assert_eq!(line["status"], 200);
    assert_eq!(line["client"], "127.0.0.1");
    let duration = line["duration_ms"].as_f64().expect("duration_ms");
    let db = line["db_ms"].as_f64().expect("db_ms");
    assert!(duration > 0.0 && (0.0..=duration).contains(&db), "{line}");
    assert!(
        line["db_queries"].as_u64().is_some_and(|n| n >= 1),
        "{line}"
    );

    // The client address comes through Rocket's ip_header (X-Real-IP) when a proxy sets it.
    let proxied_id = proxied.header("X-Request-Id").expect("an id");
    let list_line = request_line(&about(&lines, proxied_id));
    assert_eq!(list_line["client"], "203.0.113.7");
    // The list's first page is one statement: its rows carry the numbers of people and of
    // people in the trash (models/list/tally.rs).
    assert_eq!(list_line["db_queries"], 1, "{list_line}");

    // A 404 for a malformed id: Rocket's own warning about it carries the same id.
    let malformed_lines = about(&lines, &malformed_id);
    assert_eq!(request_line(&malformed_lines)["status"], 404);
    assert!(
        malformed_lines
            .iter()
            .any(|line| line["level"] == "WARN" && line["target"] != "people::request"),
        "{malformed_lines:#?}"
    );

    // Launch and migrations are logged the same way; Rocket's banner is not.
    let launch = lines
        .iter()
        .find(|line| line["target"] == "people::launch")
        .expect("a launch line");
    assert_eq!(
        launch["message"],
        format!("serving on http://127.0.0.1:{}", app.port)
    );
    assert_eq!(launch["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        lines.iter().any(|line| line["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("migrations:"))),
        "no migrations line"
    );
    assert!(
        !lines.iter().any(|line| line["target"]
            .as_str()
            .is_some_and(|t| t.starts_with("rocket::launch"))),
        "Rocket's banner is logged"
    );
}

#[test]
fn slow_queries_show_their_sql_and_never_what_users_typed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("people.db").display());
    // A threshold of 0 ms makes every query slow.
    let databases = format!("{{people={{url=\"{url}\",slow_query_ms=0}}}}");
    let app = start(
        &dir,
        &[
            ("ROCKET_LOG_FORMAT", "json"),
            ("ROCKET_DATABASES", &databases),
        ],
    );
    let searched = get(
        &app,
        "/people?q=Secretive",
        &[("X-Request-Id", "trace-search")],
    );
    assert_eq!(searched.status, 200);

    let lines = about(&json_lines(&app.log()), "trace-search");
    let slow: Vec<&Value> = lines
        .iter()
        .filter(|line| line["message"] == "slow query")
        .collect();
    assert!(!slow.is_empty(), "{lines:#?}");
    for line in slow {
        assert_eq!(line["level"], "WARN");
        assert!(line["duration_ms"].as_f64().is_some(), "{line}");
        let sql = line["sql"].as_str().expect("the SQL");
        assert!(sql.contains("SELECT"), "{sql}");
        assert!(
            !sql.contains("Secretive") && !sql.contains("binds"),
            "{sql}"
        );
    }
}

#[test]
fn text_lines_are_the_default_and_carry_the_request_id() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app = start(&dir, &[]);
    get(&app, "/people", &[("X-Request-Id", "trace-text-1")]);
    let log = app.log();
    let line = log
        .lines()
        .find(|line| line.contains("request{request_id=trace-text-1}: people::request:"))
        .unwrap_or_else(|| panic!("no request line:\n{log}"));
    let fields: Vec<(&str, &str)> = line
        .split_once(" request ")
        .map(|(_, fields)| {
            fields
                .split(' ')
                .filter_map(|f| f.split_once('='))
                .collect()
        })
        .unwrap_or_default();
    for expected in [
        ("method", "\"GET\""),
        ("route", "\"/people\""),
        ("status", "200"),
        ("client", "127.0.0.1"),
    ] {
        assert!(fields.contains(&expected), "{expected:?} in {line}");
    }
    assert!(fields.iter().any(|(k, _)| *k == "duration_ms"), "{line}");
    assert!(serde_json::from_str::<Value>(line).is_err());
}

#[test]
fn an_unknown_log_format_or_metrics_value_stops_the_launch_saying_why() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("people.db").display());
    for (variable, value, key) in [
        (
            "ROCKET_LOG_FORMAT",
            "xml",
            "log_format must be \"text\" or \"json\"",
        ),
        ("ROCKET_METRICS", "maybe", "metrics must be true or false"),
    ] {
        let app = AppProcess::spawn_with_env(PEOPLE, &url, &[(variable, value)]);
        let (status, log) = app.wait_for_exit();
        assert!(!status.success(), "{log}");
        assert!(
            log.lines()
                .any(|line| line.contains("cannot start") && line.contains(key)),
            "{log}"
        );
    }
}

#[rocket::async_test]
async fn an_outage_and_the_recovery_are_logged_with_the_requests_they_hit() {
    let test = "production::logs::an_outage_and_the_recovery_are_logged";
    let Some((cluster, _)) = PgCluster::start(test, false) else {
        return;
    };
    cluster.create_database("people");
    let mut app = AppProcess::spawn_with_env(
        PEOPLE,
        &cluster.url("people"),
        &[
            ("ROCKET_LOG_FORMAT", "json"),
            ("ROCKET_LOG_LEVEL", "normal"),
        ],
    );
    app.wait_until_healthy();

    cluster.stop();
    let down = get(&app, "/people", &[("X-Request-Id", "during-outage")]);
    assert_eq!(down.status, 503);
    cluster.pg_ctl_start();
    let back = get(&app, "/people", &[("X-Request-Id", "after-outage")]);
    assert_eq!(back.status, 200, "{}", app.log());

    let lines = json_lines(&app.log());
    let during = about(&lines, "during-outage");
    assert_eq!(request_line(&during)["status"], 503);
    assert!(
        during.iter().any(|line| line["level"] == "WARN"
            && line["message"]
                .as_str()
                .is_some_and(|m| m.contains("database"))),
        "{during:#?}"
    );
    assert!(
        about(&lines, "after-outage")
            .iter()
            .any(|line| line["message"] == "opened a database connection"),
        "{lines:#?}"
    );
}
