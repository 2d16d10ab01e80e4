//! Our implementation of `rocket_db_pools::Pool`: rocket_db_pools' own diesel features pin
//! an older diesel and have no SQLite, so we pool diesel-async connections ourselves and
//! keep `#[derive(Database)]` and the `Connection<Db>` guard exactly as documented.

use std::sync::Arc;
use std::time::Duration;

use deadpool::Runtime;
use deadpool::managed::TimeoutType;
use diesel::SqliteConnection;
use diesel_async::pooled_connection::deadpool::{BuildError, Pool, PoolError};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use rocket::figment::Figment;
use rocket::tokio::sync::Semaphore;
use rocket::tokio::time::{Instant, timeout, timeout_at};

use super::connection::{Backend, DbConn};
use super::error_chain::error_chain;
use super::postgres::{PgConnector, PgUrlError};
use super::url::{DatabaseUrl, UrlError};
use super::usage::{self, DEFAULT_SLOW_QUERY, DbFailure, QueryObserver};
use super::writers::Writers;

pub type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

/// Set on every new SQLite connection; none of these takes a lock. Diesel installs no busy
/// handler, so without `busy_timeout` (set beside these, to `query_timeout`) concurrent
/// writers get "database is locked" at once. With WAL (set once per file at launch, see
/// migrations) `synchronous=NORMAL` still survives a process crash.
///
/// `cache_size = -500`: at most 500 KiB of pages cached per connection, not SQLite's 2 MB.
/// Each pooled connection fills its own cache, in the malloc arena of whichever blocking
/// thread reads, so eight connections held up to eight arenas' worth: 55 MB peak under eight
/// searching clients at 1,000,000 people and 80 MB under the bench's mix. The pages a smaller
/// cache drops stay in the operating system's file cache, one `pread` away, shared by every
/// connection and process: with 500 KiB the peaks were 29 and 46 MB, and searches, the list,
/// deep and show pages answered as many requests as before (README.md, "Performance").
const SQLITE_PRAGMAS: &str =
    "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -500;";

/// `databases.people.query_timeout` when unset: how long one request may wait on the database
/// in all, in seconds. Far above any query the app makes on 1,000,000 rows but a search, and
/// short enough that a stuck request gives its connection back soon.
pub const DEFAULT_QUERY_TIMEOUT: f64 = 5.0;

/// `databases.people.max_searches` when unset: how many requests may run queries that read
/// every row (a search) at once. The rest wait for a turn (at most `query_timeout`), so that
/// however many searches clients send, most connections, and on SQLite most of the
/// `max_blocking` threads, stay free for everything else.
pub const DEFAULT_MAX_SEARCHES: usize = 2;

/// Cloning shares the same pool (deadpool's pools are handles), for tasks that outlive a
/// request, such as the trash purge.
#[derive(Clone)]
pub struct PeoplePool {
    backend: Backends,
    query_timeout: Duration,
    searches: Arc<Semaphore>,
    /// SQLite only: this process's writer connection, and the turns taken on it.
    writers: Option<Arc<Writers>>,
    /// `slow_query_ms`: queries taking longer are logged.
    slow_query: Duration,
    connect_timeout: Duration,
}

/// The database's own settings beside rocket_db_pools' (`url`, `max_connections`, ...).
#[derive(serde::Deserialize)]
struct ObserverConfig {
    slow_query_ms: Option<u64>,
}

#[derive(Clone)]
enum Backends {
    Postgres(Pool<AsyncPgConnection>),
    Sqlite(Pool<SqliteConn>),
}

#[derive(Debug, thiserror::Error)]
pub enum DbPoolError {
    #[error("invalid database configuration: {0}")]
    Config(#[from] Box<rocket::figment::Error>),
    #[error(transparent)]
    Url(#[from] UrlError),
    #[error(transparent)]
    PostgresUrl(#[from] PgUrlError),
    #[error("could not build the connection pool: {0}")]
    Build(#[from] BuildError),
    #[error("no database connection: {0}")]
    Connect(#[from] PoolError),
    #[error("query_timeout must be a positive number of seconds, not {0}")]
    QueryTimeout(f64),
    #[error("max_searches must be at least 1")]
    MaxSearches,
    #[error("too many searches at once; none ended within query_timeout")]
    SearchesBusy,
}

/// `databases.people.query_timeout`, in seconds (fractions allowed).
fn query_timeout(figment: &Figment) -> Result<Duration, DbPoolError> {
    let seconds = match figment.extract_inner::<f64>("query_timeout") {
        Ok(seconds) => seconds,
        Err(e) if e.missing() => DEFAULT_QUERY_TIMEOUT,
        Err(e) => return Err(DbPoolError::Config(Box::new(e))),
    };
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|timeout| !timeout.is_zero())
        .ok_or(DbPoolError::QueryTimeout(seconds))
}

#[rocket::async_trait]
impl rocket_db_pools::Pool for PeoplePool {
    type Connection = DbConn;
    type Error = DbPoolError;

    async fn init(figment: &Figment) -> Result<Self, Self::Error> {
        let config: rocket_db_pools::Config = figment.extract().map_err(Box::new)?;
        let url = DatabaseUrl::parse(&config.url)?;
        let timeout = Duration::from_secs(config.connect_timeout);
        let query_timeout = query_timeout(figment)?;
        let observer: ObserverConfig = figment.extract().map_err(Box::new)?;
        let slow_query = observer
            .slow_query_ms
            .map_or(DEFAULT_SLOW_QUERY, Duration::from_millis);
        let max_searches = match figment.extract_inner::<usize>("max_searches") {
            Ok(0) => return Err(DbPoolError::MaxSearches),
            Ok(n) => n,
            Err(e) if e.missing() => DEFAULT_MAX_SEARCHES,
            Err(e) => return Err(DbPoolError::Config(Box::new(e))),
        };
        rocket::info!(
            "database: {url}, up to {} connections, queries stopped after {query_timeout:?}",
            config.max_connections
        );
        let mut writers = None;
        let backend = match url {
            DatabaseUrl::Postgres(url) => {
                // Fast recycling hands a pooled connection straight out: verifying each one
                // with a `SELECT 1` cost a round trip per request (show page: 23k -> 34k
                // req/s without it). A connection the server closed (a restart, an outage) is
                // still dropped, because diesel-async reports it broken, so the app recovers
                // without a restart (tests/production/outage.rs).
                let connector = Arc::new(PgConnector::from_url(&url, query_timeout)?);
                let mut manager_config = ManagerConfig::default();
                manager_config.recycling_method = RecyclingMethod::Fast;
                manager_config.custom_setup = Box::new(move |_url| {
                    let connector = Arc::clone(&connector);
                    Box::pin(async move { opened(connector.connect().await) })
                });
                let manager = AsyncDieselConnectionManager::new_with_config(url, manager_config);
                Backends::Postgres(build_pool(manager, config.max_connections, timeout)?)
            }
            DatabaseUrl::Sqlite(path) => {
                let mut manager_config = ManagerConfig::<SqliteConn>::default();
                manager_config.recycling_method = RecyclingMethod::Fast;
                // A writer waiting on another's lock gives up when the request would have
                // anyway (and answers 503); SQLite takes whole milliseconds.
                let pragmas = format!(
                    "PRAGMA busy_timeout = {}; {SQLITE_PRAGMAS}",
                    query_timeout.as_millis().max(1)
                );
                writers = Some(Writers::new(path.clone(), pragmas.clone(), slow_query));
                manager_config.custom_setup = Box::new(move |path| {
                    let pragmas = pragmas.clone();
                    Box::pin(async move {
                        let mut conn = SqliteConn::establish(path).await?;
                        conn.batch_execute(&pragmas)
                            .await
                            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                        opened(Ok(conn))
                    })
                });
                let manager = AsyncDieselConnectionManager::new_with_config(path, manager_config);
                Backends::Sqlite(build_pool(manager, config.max_connections, timeout)?)
            }
        };
        Ok(Self {
            backend,
            query_timeout,
            searches: Arc::new(Semaphore::new(max_searches)),
            writers,
            slow_query,
            connect_timeout: timeout,
        })
    }

    /// A connection whose queries must all be done within `query_timeout` from now. Inside a
    /// request, the connection reports its queries to the request's usage.
    async fn get(&self) -> Result<Self::Connection, Self::Error> {
        let usage = usage::current();
        let got = match &self.backend {
            Backends::Postgres(pool) => pool.get().await.map(Backend::Postgres),
            Backends::Sqlite(pool) => pool.get().await.map(Backend::Sqlite),
        };
        let backend = got.inspect_err(|e| {
            let failure = DbFailure::of_pool(e);
            if let Some(usage) = &usage {
                usage.record_failure(failure);
            }
            self.log_failure(failure, e);
        })?;
        let mut conn = DbConn::new(backend, self.query_timeout, self.writers.clone());
        conn.observe(QueryObserver::new(usage, self.slow_query));
        Ok(conn)
    }

    /// Rocket calls this as soon as shutdown begins, before the requests in flight have
    /// finished (its grace period comes after), and handlers that read a body connect only
    /// once it has arrived: closing the pools here would answer them 503. Nothing is closed
    /// early; the connections close when the pools are dropped, after the last request.
    async fn close(&self) {}
}

/// How many connections are open, idle and awaited, for the metrics.
#[derive(Debug, Clone, Copy)]
pub struct PoolStatus {
    pub max: usize,
    pub in_use: usize,
    pub idle: usize,
    pub waiting: usize,
}

impl PeoplePool {
    pub fn status(&self) -> PoolStatus {
        let status = match &self.backend {
            Backends::Postgres(pool) => pool.status(),
            Backends::Sqlite(pool) => pool.status(),
        };
        PoolStatus {
            max: status.max_size,
            in_use: status.size.saturating_sub(status.available),
            idle: status.available,
            waiting: status.waiting,
        }
    }

    /// Outages and exhaustion, one line each, saying how full the pool was.
    fn log_failure(&self, failure: DbFailure, error: &PoolError) {
        let PoolStatus {
            in_use, waiting, ..
        } = self.status();
        match failure {
            DbFailure::Timeout => tracing::warn!(
                target: "people::db",
                in_use,
                waiting,
                "no database connection within {}s",
                self.connect_timeout.as_secs()
            ),
            _ => tracing::warn!(
                target: "people::db",
                in_use,
                waiting,
                "no database connection: {}",
                error_chain(error)
            ),
        }
    }

    /// A connection, for a request whose queries may read every row (`searching`): then
    /// one of `max_searches` turns first ([`Self::get_for_search`]).
    pub async fn connect_reading_all(&self, searching: bool) -> Result<DbConn, DbPoolError> {
        match searching {
            true => self.get_for_search().await,
            false => rocket_db_pools::Pool::get(self).await,
        }
    }

    /// [`Self::connect_reading_all`] for a request that arrived
    /// at `arrived` and may have waited since (for a read it shares, `db::SharedReads`): the
    /// wait for a connection and the queries end within [`Self::longest_read`] of its
    /// arrival, as they would have had it connected at once.
    pub async fn connect_reading_all_since(
        &self,
        searching: bool,
        arrived: Instant,
    ) -> Result<DbConn, DbPoolError> {
        let deadline = arrived + self.longest_read(searching);
        let mut conn = timeout_at(deadline, self.connect_reading_all(searching))
            .await
            .map_err(|_| PoolError::Timeout(TimeoutType::Wait))??;
        conn.finish_by(deadline);
        Ok(conn)
    }

    /// The longest a request may wait for a read of its own: a connection, a turn among the
    /// `max_searches` when `searching`, and the queries' deadline.
    pub fn longest_read(&self, searching: bool) -> Duration {
        let turn = if searching {
            self.query_timeout
        } else {
            Duration::ZERO
        };
        self.connect_timeout + turn + self.query_timeout
    }

    /// A connection for a request whose queries read every row: one of `max_searches` turns
    /// first, waited for at most `query_timeout`. The turn is given back when the connection
    /// is, or, for a query abandoned at its deadline, when that query has ended.
    pub async fn get_for_search(&self) -> Result<DbConn, DbPoolError> {
        let turn = timeout(
            self.query_timeout,
            Arc::clone(&self.searches).acquire_owned(),
        )
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or(DbPoolError::SearchesBusy)?;
        let conn = rocket_db_pools::Pool::get(self).await?;
        Ok(conn.holding(turn))
    }
}

/// Every wait is bounded by `connect_timeout`: when the database is gone a request gets a
/// 503 after that long instead of hanging.
fn build_pool<C>(
    manager: AsyncDieselConnectionManager<C>,
    max_size: usize,
    timeout: Duration,
) -> Result<Pool<C>, BuildError>
where
    C: diesel_async::AsyncConnection + diesel_async::pooled_connection::PoolableConnection,
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager,
{
    Pool::builder(manager)
        .max_size(max_size)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(timeout))
        .create_timeout(Some(timeout))
        .recycle_timeout(Some(timeout))
        .build()
}

/// Logs each connection the pool opens: after an outage, these lines show it recovering.
fn opened<C>(result: diesel::ConnectionResult<C>) -> diesel::ConnectionResult<C> {
    if result.is_ok() {
        tracing::info!(target: "people::db", "opened a database connection");
    }
    result
}

#[cfg(test)]
mod tests {
    use diesel::QueryableByName;
    use diesel::sql_types::BigInt;
    use diesel_async::RunQueryDsl;
    use rocket::figment::Figment;
    use rocket_db_pools::Pool as _;

    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use rocket::tokio::sync::oneshot;

    use super::{DbPoolError, PeoplePool, PoolError};
    use crate::db::{with_connection, writing};

    async fn sqlite_pool(dir: &tempfile::TempDir) -> PeoplePool {
        let url = format!("sqlite://{}", dir.path().join("people.db").display());
        let figment = Figment::new()
            .merge(("url", url))
            .merge(("max_connections", 2))
            .merge(("connect_timeout", 5));
        PeoplePool::init(&figment).await.expect("a pool")
    }

    #[derive(QueryableByName)]
    struct CacheSize {
        #[diesel(sql_type = BigInt)]
        cache_size: i64,
    }

    /// Every pooled SQLite connection caches at most 500 KiB of pages (see `SQLITE_PRAGMAS`).
    #[rocket::async_test]
    async fn sqlite_connections_keep_a_small_page_cache() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let pool = sqlite_pool(&dir).await;
        for _ in 0..2 {
            let mut conn = pool.get().await.expect("a connection");
            let size: CacheSize = with_connection!(&mut conn, |c| {
                diesel::sql_query("PRAGMA cache_size").get_result(c).await
            })
            .expect("the cache size");
            assert_eq!(size.cache_size, -500);
        }
    }

    /// A request that waited to share a read and then reads itself gets no more time than a
    /// read of its own would have had from its arrival: waited out already, it gets a
    /// connection whose queries stop at once.
    #[rocket::async_test]
    async fn a_read_after_waiting_ends_within_the_bound_from_arrival() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let pool = sqlite_pool(&dir).await;
        let select_one = || diesel::select(diesel::dsl::sql::<BigInt>("1"));
        let now = rocket::tokio::time::Instant::now();
        let mut fresh = pool
            .connect_reading_all_since(false, now)
            .await
            .expect("a connection");
        let one = with_connection!(&mut fresh, |c| select_one().get_result::<i64>(c).await);
        assert_eq!(one, Ok(1));
        // A second past the bound: tokio's timers round up to the next millisecond.
        let waited_out = now - pool.longest_read(false) - Duration::from_secs(1);
        drop(fresh);
        match pool.connect_reading_all_since(false, waited_out).await {
            // The wait for a connection ended at once.
            Err(DbPoolError::Connect(PoolError::Timeout(_))) => {}
            Err(other) => panic!("expected a timeout, got {other}"),
            // A connection was idle: its queries stop at once.
            Ok(mut late) => {
                let too_late =
                    with_connection!(&mut late, |c| select_one().get_result::<i64>(c).await);
                assert!(
                    matches!(&too_late, Err(e) if crate::db::DeadlinePassed::is(e)),
                    "{too_late:?}"
                );
            }
        }
    }

    /// A write on SQLite waits for the one before it in this process to finish
    /// (`DbConn::write_turn`): in this process, not in SQLite's busy handler on a blocking
    /// thread.
    #[rocket::async_test]
    async fn sqlite_writes_take_turns() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let pool = sqlite_pool(&dir).await;
        let mut first = pool.get().await.expect("a connection");
        let mut second = pool.get().await.expect("a second connection");
        with_connection!(&mut first, |c| {
            diesel::sql_query("CREATE TABLE t (x INTEGER)")
                .execute(c)
                .await
        })
        .expect("a table");

        let (holding, first_holds) = oneshot::channel::<()>();
        let (release, released) = oneshot::channel::<()>();
        let first_write = rocket::tokio::spawn(async move {
            writing!(&mut first, |c| {
                let _ = holding.send(());
                let _ = released.await;
                diesel::sql_query("INSERT INTO t VALUES (1)")
                    .execute(c)
                    .await
            })
        });
        first_holds.await.expect("the first write began");

        let second_began = Arc::new(AtomicBool::new(false));
        let began = Arc::clone(&second_began);
        let second_write = rocket::tokio::spawn(async move {
            writing!(&mut second, |c| {
                began.store(true, Ordering::SeqCst);
                diesel::sql_query("INSERT INTO t VALUES (2)")
                    .execute(c)
                    .await
            })
        });
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            !AtomicBool::load(&second_began, Ordering::SeqCst),
            "the second write began while the first held the turn"
        );
        release.send(()).expect("the first write waits");
        assert_eq!(first_write.await.expect("no panic"), Ok(1));
        assert_eq!(second_write.await.expect("no panic"), Ok(1));
        assert!(AtomicBool::load(&second_began, Ordering::SeqCst));
    }
}
