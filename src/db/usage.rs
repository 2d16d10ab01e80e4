//! What the database did for one request: time spent in queries, how many there were, which
//! failed and how, and whether a connection could not be had in time. The request's log line
//! and metrics read it when the response goes out.
//!
//! A request's handler runs inside [`scope`]; every connection checked out there reports its
//! queries' times to that request's [`DbUsage`] through diesel's instrumentation hook
//! ([`QueryObserver`]), whichever backend and thread the query runs on, and `with_connection!`
//! counts their failures ([`count_failure`]). A query slower than the threshold is logged
//! with its SQL and never its bound values, which hold what users typed.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::result::{DatabaseErrorKind, Error};
use diesel_async::pooled_connection::deadpool::PoolError;
use tracing::Span;

rocket::tokio::task_local! {
    static CURRENT: Arc<DbUsage>;
}

/// The default `slow_query_ms`.
pub const DEFAULT_SLOW_QUERY: Duration = Duration::from_millis(100);

/// Durations in log lines: milliseconds, to the microsecond.
pub fn millis(duration: Duration) -> f64 {
    duration.as_micros() as f64 / 1000.0
}

/// How a database call failed, as the metrics count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFailure {
    /// No connection within `connect_timeout`: the pool was exhausted or the server slow.
    Timeout,
    /// The server could not be reached or dropped the connection.
    Unavailable,
    /// A name already taken: the index doing its job, counted to tell it apart from faults.
    UniqueViolation,
    Other,
}

impl DbFailure {
    const ALL: [Self; 4] = [
        Self::Timeout,
        Self::Unavailable,
        Self::UniqueViolation,
        Self::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Unavailable => "unavailable",
            Self::UniqueViolation => "unique_violation",
            Self::Other => "other",
        }
    }

    fn of_query(error: &Error) -> Option<Self> {
        match error {
            // Zero rows for `first()`: an answer, not a failure.
            Error::NotFound => None,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                Some(Self::UniqueViolation)
            }
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => Some(Self::Unavailable),
            _ => Some(Self::Other),
        }
    }

    pub(super) fn of_pool(error: &PoolError) -> Self {
        match error {
            PoolError::Timeout(_) => Self::Timeout,
            PoolError::Backend(_) => Self::Unavailable,
            _ => Self::Other,
        }
    }
}

/// One request's database work; shared with the connections it checks out.
pub struct DbUsage {
    /// The request's span, so that lines logged on SQLite's blocking threads carry its id.
    span: Span,
    nanos: AtomicU64,
    queries: AtomicU32,
    failures: [AtomicU32; DbFailure::ALL.len()],
}

impl DbUsage {
    pub fn new(span: Span) -> Self {
        Self {
            span,
            nanos: AtomicU64::new(0),
            queries: AtomicU32::new(0),
            failures: Default::default(),
        }
    }

    /// Time spent in queries, summed (queries pipelined on one connection overlap).
    pub fn time(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::Relaxed))
    }

    pub fn queries(&self) -> u32 {
        self.queries.load(Ordering::Relaxed)
    }

    /// Each kind of failure that happened, with how many times.
    pub fn failures(&self) -> impl Iterator<Item = (DbFailure, u32)> + '_ {
        DbFailure::ALL
            .into_iter()
            .zip(&self.failures)
            .map(|(kind, count)| (kind, count.load(Ordering::Relaxed)))
            .filter(|&(_, count)| count > 0)
    }

    pub(super) fn record_failure(&self, failure: DbFailure) {
        self.failures[failure as usize].fetch_add(1, Ordering::Relaxed);
    }

    fn record_query(&self, elapsed: Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.nanos.fetch_add(nanos, Ordering::Relaxed);
        self.queries.fetch_add(1, Ordering::Relaxed);
    }
}

/// Counts a failed query against the request being served, if any.
pub fn count_failure<T>(result: &Result<T, Error>) {
    if let Err(error) = result
        && let Some(failure) = DbFailure::of_query(error)
    {
        let _ = CURRENT.try_with(|usage| usage.record_failure(failure));
    }
}

/// Runs `work` (a request's handler) with `usage` as the request whose queries are counted.
pub async fn scope<F: Future>(usage: Arc<DbUsage>, work: F) -> F::Output {
    CURRENT.scope(usage, work).await
}

/// The usage of the request this task is serving, if it is serving one.
pub(super) fn current() -> Option<Arc<DbUsage>> {
    CURRENT.try_with(Arc::clone).ok()
}

/// diesel's instrumentation for one checked-out connection: times each query into the
/// request's usage, and logs slow ones.
pub(super) struct QueryObserver {
    usage: Option<Arc<DbUsage>>,
    slow: Duration,
    /// Start times of queries in flight, oldest first: diesel-async may pipeline several
    /// queries on one PostgreSQL connection, and they finish in the order they were sent.
    started: VecDeque<Instant>,
}

impl QueryObserver {
    pub(super) fn new(usage: Option<Arc<DbUsage>>, slow: Duration) -> Self {
        Self {
            usage,
            slow,
            started: VecDeque::new(),
        }
    }

    fn log_slow(&self, elapsed: Duration, query: &dyn std::fmt::Display) {
        let text = query.to_string();
        // diesel appends the bound values after this marker; the SQL before it is ours.
        let sql = text
            .split_once(" -- binds: ")
            .map_or(&*text, |(sql, _)| sql);
        let log = || {
            tracing::warn!(
                target: "people::db",
                duration_ms = millis(elapsed),
                sql,
                "slow query"
            );
        };
        match &self.usage {
            Some(usage) => usage.span.in_scope(log),
            None => log(),
        }
    }
}

impl Instrumentation for QueryObserver {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartQuery { .. } => self.started.push_back(Instant::now()),
            InstrumentationEvent::FinishQuery { query, .. } => {
                let Some(started) = self.started.pop_front() else {
                    return;
                };
                let elapsed = started.elapsed();
                if let Some(usage) = &self.usage {
                    usage.record_query(elapsed);
                }
                if elapsed >= self.slow {
                    self.log_slow(elapsed, &query);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_and_outages_are_told_apart_and_not_found_is_no_failure() {
        let info = || Box::new(String::from("boom")) as _;
        let unique = Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info());
        let closed = Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info());
        let other = Error::DatabaseError(DatabaseErrorKind::CheckViolation, info());
        assert_eq!(
            DbFailure::of_query(&unique),
            Some(DbFailure::UniqueViolation)
        );
        assert_eq!(DbFailure::of_query(&closed), Some(DbFailure::Unavailable));
        assert_eq!(DbFailure::of_query(&other), Some(DbFailure::Other));
        assert_eq!(DbFailure::of_query(&Error::NotFound), None);
    }

    #[test]
    fn usage_sums_queries_and_counts_failures_by_kind() {
        let usage = DbUsage::new(Span::none());
        usage.record_query(Duration::from_millis(2));
        usage.record_query(Duration::from_millis(3));
        usage.record_failure(DbFailure::Timeout);
        usage.record_failure(DbFailure::Timeout);
        assert_eq!(usage.time(), Duration::from_millis(5));
        assert_eq!(usage.queries(), 2);
        assert_eq!(
            usage.failures().collect::<Vec<_>>(),
            [(DbFailure::Timeout, 2)]
        );
    }

    #[test]
    fn millis_keep_microseconds() {
        assert_eq!(millis(Duration::from_micros(1_234_567)), 1234.567);
    }
}
