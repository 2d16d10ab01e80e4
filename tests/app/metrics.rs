//! `GET /metrics`: off unless `metrics = true`; then the Prometheus text format, parsed here
//! line by line: requests by route pattern and status, latency histograms, the pool, database
//! failures, the build. Each app counts only its own requests, though tests run many apps in
//! one process.

use std::collections::BTreeMap;

use rocket::http::Status;
use rocket_db_pools::{Database, Pool};

use people::db::Db;
use people_test_harness::{TestApp, TestDatabase, backend_tests};

backend_tests!(
    metrics_are_off_unless_turned_on,
    requests_are_counted_by_route_pattern_method_and_status,
    latency_is_a_histogram_by_route,
    the_pool_and_the_build_are_shown,
    unique_violations_and_timeouts_are_counted,
);

async fn with_metrics(app: TestApp) -> TestApp {
    app.reconfigure(|figment| figment.merge(("metrics", true)))
        .await
}

async fn metrics_are_off_unless_turned_on(app: TestApp) {
    app.get("/metrics").await.assert_html(Status::NotFound);
    let app = app
        .reconfigure(|figment| figment.merge(("metrics", false)))
        .await;
    app.get("/metrics").await.assert_html(Status::NotFound);
    let app = with_metrics(app).await;
    let page = app.get("/metrics").await;
    assert_eq!(page.status, Status::Ok);
    let content_type = page.content_type.expect("a content type");
    assert_eq!(
        (content_type.top().as_str(), content_type.sub().as_str()),
        ("text", "plain")
    );
    assert_eq!(
        content_type
            .params()
            .find(|(k, _)| k == "version")
            .map(|(_, v)| v),
        Some("0.0.4")
    );
}

async fn requests_are_counted_by_route_pattern_method_and_status(app: TestApp) {
    let app = with_metrics(app).await;
    let ada = app.create_person("Ada Lovelace").await;
    let grace = app.create_person("Grace Hopper").await;
    for uri in [
        format!("/people/{ada}"),
        format!("/people/{grace}"),
        "/people/999999".into(),
    ] {
        app.get(&uri).await;
    }
    app.get("/nowhere").await;
    app.get("/also/nowhere").await;
    app.get("/api/people").await;

    let scrape = Scrape::of(&app).await;
    let requests = |method, route, status| {
        scrape.value(
            "people_http_requests_total",
            &[("method", method), ("route", route), ("status", status)],
        )
    };
    // Two people shown and one missing, under one pattern: never one series per path.
    assert_eq!(requests("GET", "/people/<id>", "200"), Some(2.0));
    assert_eq!(requests("GET", "/people/<id>", "404"), Some(1.0));
    assert_eq!(requests("POST", "/people", "303"), Some(2.0));
    assert_eq!(requests("GET", "/api/people", "200"), Some(1.0));
    assert_eq!(requests("GET", "unmatched", "404"), Some(2.0));
    assert!(
        !scrape
            .samples
            .iter()
            .any(|s| s.labels.values().any(|v| v.contains("nowhere"))),
        "a raw path became a label"
    );
}

async fn latency_is_a_histogram_by_route(app: TestApp) {
    let app = with_metrics(app).await;
    for _ in 0..3 {
        app.get("/people").await;
    }
    let scrape = Scrape::of(&app).await;
    let route = [("method", "GET"), ("route", "/people")];
    let histogram = "people_http_request_duration_seconds";
    assert_eq!(
        scrape.value(&format!("{histogram}_count"), &route),
        Some(3.0)
    );
    let sum = scrape
        .value(&format!("{histogram}_sum"), &route)
        .expect("a sum");
    assert!(sum > 0.0 && sum < 30.0, "{sum}");
    let mut buckets: Vec<(f64, f64)> = scrape
        .samples
        .iter()
        .filter(|s| s.name == format!("{histogram}_bucket") && s.has(&route))
        .map(|s| {
            (
                s.labels["le"].parse::<f64>().expect("a bucket bound"),
                s.value,
            )
        })
        .collect();
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(buckets.len() > 5, "{buckets:?}");
    assert_eq!(buckets.last(), Some(&(f64::INFINITY, 3.0)));
    assert!(
        buckets.windows(2).all(|w| w[0].1 <= w[1].1),
        "cumulative: {buckets:?}"
    );
}

async fn the_pool_and_the_build_are_shown(app: TestApp) {
    let app = with_metrics(app).await;
    app.get("/people").await;
    let scrape = Scrape::of(&app).await;
    // The harness gives each app 4 connections; none is in use between requests.
    assert_eq!(
        scrape.value("people_db_pool_max_connections", &[]),
        Some(4.0)
    );
    assert_eq!(
        scrape.value("people_db_pool_connections", &[("state", "in_use")]),
        Some(0.0)
    );
    let idle = scrape.value("people_db_pool_connections", &[("state", "idle")]);
    assert!(
        idle.is_some_and(|idle| (1.0..=4.0).contains(&idle)),
        "{idle:?}"
    );
    assert_eq!(scrape.value("people_db_pool_waiting", &[]), Some(0.0));
    assert_eq!(
        scrape.value(
            "people_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        Some(1.0)
    );
}

async fn unique_violations_and_timeouts_are_counted(app: TestApp) {
    let app = app
        .reconfigure(|figment| {
            figment
                .merge(("metrics", true))
                .merge(("databases.people.max_connections", 1))
                .merge(("databases.people.connect_timeout", 1))
        })
        .await;
    let scrape = Scrape::of(&app).await;
    assert_eq!(scrape.value("people_db_timeouts_total", &[]), Some(0.0));
    let errors = |scrape: &Scrape, kind| scrape.value("people_db_errors_total", &[("kind", kind)]);
    assert_eq!(errors(&scrape, "unique_violation"), Some(0.0));

    app.create_person("Ada Lovelace").await;
    let taken = app.post_form("/people", &[("name", "ada lovelace")]).await;
    assert_eq!(taken.status, Status::UnprocessableEntity);
    assert_eq!(
        errors(&Scrape::of(&app).await, "unique_violation"),
        Some(1.0)
    );

    // The only connection held elsewhere: the request waits connect_timeout, then 503.
    let db = Db::fetch(app.client.rocket()).expect("the app has a pool");
    let held = db.get().await.expect("the only connection");
    app.get("/people")
        .await
        .assert_html(Status::ServiceUnavailable);
    drop(held);
    let scrape = Scrape::of(&app).await;
    assert_eq!(scrape.value("people_db_timeouts_total", &[]), Some(1.0));
    assert_eq!(errors(&scrape, "other"), Some(0.0));
}

#[rocket::async_test]
async fn apps_in_one_process_count_only_their_own_requests() {
    let launch = || async {
        let db = TestDatabase::sqlite();
        let figment = people_test_harness::figment(&db.url()).merge(("metrics", true));
        TestApp::launch_with(db, figment).await
    };
    let (first, second) = (launch().await, launch().await);
    for _ in 0..3 {
        first.get("/people").await;
    }
    second.get("/people").await;
    let requests = |scrape: &Scrape| {
        scrape.value(
            "people_http_requests_total",
            &[("route", "/people"), ("status", "200")],
        )
    };
    assert_eq!(requests(&Scrape::of(&first).await), Some(3.0));
    assert_eq!(requests(&Scrape::of(&second).await), Some(1.0));
}

/// One scrape of `/metrics`, every line parsed: a line that is not the Prometheus text
/// format fails the test. (Small enough to write here; the crates that parse it bring a
/// date-time library and regexes for no gain.)
struct Scrape {
    samples: Vec<Sample>,
}

struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

impl Sample {
    fn has(&self, labels: &[(&str, &str)]) -> bool {
        labels
            .iter()
            .all(|(k, v)| self.labels.get(*k).is_some_and(|value| value == v))
    }
}

impl Scrape {
    async fn of(app: &TestApp) -> Self {
        let page = app.get("/metrics").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        assert_eq!(
            page.content_type.map(|c| c.sub().to_string()),
            Some("plain".into())
        );
        Self::parse(&page.body)
    }

    fn parse(text: &str) -> Self {
        let mut samples = Vec::new();
        for line in text.lines().filter(|line| !line.is_empty()) {
            if let Some(comment) = line.strip_prefix("# ") {
                let mut words = comment.splitn(3, ' ');
                let (kind, name) = (words.next(), words.next());
                assert!(matches!(kind, Some("HELP" | "TYPE")), "{line}");
                assert!(name.is_some_and(is_metric_name), "{line}");
                if kind == Some("TYPE") {
                    let kinds = ["counter", "gauge", "histogram", "summary", "untyped"];
                    assert!(words.next().is_some_and(|t| kinds.contains(&t)), "{line}");
                }
                continue;
            }
            let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
            let value = value.parse().unwrap_or_else(|_| panic!("value in {line}"));
            let (name, labels) = match series.split_once('{') {
                None => (series, BTreeMap::new()),
                Some((name, labels)) => {
                    let labels = labels.strip_suffix('}').unwrap_or_else(|| panic!("{line}"));
                    (name, parse_labels(labels, line))
                }
            };
            assert!(is_metric_name(name), "{line}");
            samples.push(Sample {
                name: name.to_owned(),
                labels,
                value,
            });
        }
        assert!(!samples.is_empty(), "no samples in:\n{text}");
        Self { samples }
    }

    /// The value of the one series `name` whose labels include `labels`.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let mut matching = self
            .samples
            .iter()
            .filter(|s| s.name == name && s.has(labels));
        let sample = matching.next()?;
        assert!(
            matching.next().is_none(),
            "{name} {labels:?}: several series"
        );
        Some(sample.value)
    }
}

fn is_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// `a="1",b="x \"y\""`: names, then quoted values with `\\`, `\"` and `\n` escapes.
fn parse_labels(text: &str, line: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (name, after) = rest.split_once("=\"").unwrap_or_else(|| panic!("{line}"));
        assert!(is_metric_name(name), "label {name:?} in {line}");
        let mut value = String::new();
        let mut chars = after.char_indices();
        let end = loop {
            match chars.next() {
                Some((i, '"')) => break i,
                Some((_, '\\')) => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, c @ ('\\' | '"'))) => value.push(c),
                    _ => panic!("bad escape in {line}"),
                },
                Some((_, c)) => value.push(c),
                None => panic!("unterminated label in {line}"),
            }
        };
        labels.insert(name.to_owned(), value);
        rest = after[end + 1..]
            .strip_prefix(',')
            .unwrap_or(&after[end + 1..]);
    }
    labels
}
