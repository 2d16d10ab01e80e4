//! Prometheus metrics, at `GET /metrics` when `metrics = true`.
//!
//! Each app has its own recorder, kept in its state, and records through it with
//! `metrics::with_local_recorder`: the `metrics` crate's global recorder can be installed
//! once per process, and the tests build many apps in one process, each expecting its own
//! counts. Nothing is recorded when metrics are off.

use std::sync::Arc;
use std::time::Duration;

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use rocket::http::{ContentType, Method};
use rocket::{Route, State, get, routes};

use crate::db::{Db, DbFailure, DbUsage, PoolStatus};

/// Latency buckets, in seconds: from a cached page (~1 ms) to a request near its timeout.
const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How often histograms are folded into what `/metrics` shows, so that samples do not pile
/// up in memory between scrapes.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The label of requests no route matched (404s for unknown paths): raw paths would make
/// every mistyped or probed address a time series of its own.
const UNMATCHED: &str = "unmatched";

pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
}

impl Metrics {
    pub fn new() -> Arc<Self> {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&LATENCY_BUCKETS)
            .expect("LATENCY_BUCKETS is not empty")
            .build_recorder();
        let handle = recorder.handle();
        let metrics = Self { recorder, handle };
        metrics.describe();
        Arc::new(metrics)
    }

    /// Help texts, the build info, and a zero for each failure counter, so that a dashboard
    /// sees the series before the first failure.
    fn describe(&self) {
        metrics::with_local_recorder(&self.recorder, || {
            describe_counter!(
                "people_http_requests_total",
                "Requests answered, by route pattern, method and status."
            );
            describe_histogram!(
                "people_http_request_duration_seconds",
                metrics::Unit::Seconds,
                "Time from the request's arrival to its response, by route pattern and method."
            );
            describe_gauge!(
                "people_db_pool_connections",
                "Database connections this instance holds, by state (in_use, idle)."
            );
            describe_gauge!(
                "people_db_pool_waiting",
                "Requests waiting for a database connection."
            );
            describe_gauge!(
                "people_db_pool_max_connections",
                "The most connections this instance opens (max_connections)."
            );
            describe_counter!(
                "people_db_errors_total",
                "Failed database calls, by kind (unavailable, unique_violation, other)."
            );
            describe_counter!(
                "people_db_timeouts_total",
                "Requests that got no database connection within connect_timeout."
            );
            describe_gauge!(
                "people_build_info",
                "Always 1; the labels say which build answers."
            );
            gauge!("people_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
            counter!("people_db_timeouts_total").absolute(0);
            for kind in [
                DbFailure::Unavailable,
                DbFailure::UniqueViolation,
                DbFailure::Other,
            ] {
                counter!("people_db_errors_total", "kind" => kind.label()).absolute(0);
            }
        });
    }

    /// Counts one answered request. `route` is the matched route's path pattern.
    pub fn record_request(
        &self,
        method: Method,
        route: Option<&str>,
        status: u16,
        elapsed: Duration,
        db: &DbUsage,
    ) {
        let route = route.unwrap_or(UNMATCHED).to_owned();
        metrics::with_local_recorder(&self.recorder, || {
            counter!(
                "people_http_requests_total",
                "method" => method.as_str(),
                "route" => route.clone(),
                "status" => status.to_string(),
            )
            .increment(1);
            histogram!(
                "people_http_request_duration_seconds",
                "method" => method.as_str(),
                "route" => route,
            )
            .record(elapsed.as_secs_f64());
            for (failure, count) in db.failures() {
                match failure {
                    DbFailure::Timeout => counter!("people_db_timeouts_total"),
                    kind => counter!("people_db_errors_total", "kind" => kind.label()),
                }
                .increment(u64::from(count));
            }
        });
    }

    /// The Prometheus text, with the pool as it is now.
    pub fn render(&self, pool: PoolStatus) -> String {
        metrics::with_local_recorder(&self.recorder, || {
            let gauge_of = |count: usize| count as f64;
            gauge!("people_db_pool_connections", "state" => "in_use").set(gauge_of(pool.in_use));
            gauge!("people_db_pool_connections", "state" => "idle").set(gauge_of(pool.idle));
            gauge!("people_db_pool_waiting").set(gauge_of(pool.waiting));
            gauge!("people_db_pool_max_connections").set(gauge_of(pool.max));
        });
        self.handle.render()
    }

    pub fn run_upkeep(&self) {
        self.handle.run_upkeep();
    }
}

pub fn routes() -> Vec<Route> {
    routes![scrape]
}

/// Prometheus' text exposition format, version 0.0.4.
#[get("/metrics")]
fn scrape(metrics: &State<Arc<Metrics>>, db: &Db) -> (ContentType, String) {
    let text_format =
        ContentType::new("text", "plain").with_params([("version", "0.0.4"), ("charset", "utf-8")]);
    (text_format, metrics.render(db.status()))
}
