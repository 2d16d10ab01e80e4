//! Our implementation of `rocket_db_pools::Pool`: rocket_db_pools' own diesel features pin
//! an older diesel and have no SQLite, so we pool diesel-async connections ourselves and
//! keep `#[derive(Database)]` and the `Connection<Db>` guard exactly as documented.

use std::sync::Arc;
use std::time::Duration;

use deadpool::Runtime;
use diesel::SqliteConnection;
use diesel_async::pooled_connection::deadpool::{BuildError, Pool, PoolError};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use rocket::figment::Figment;
use rocket::tokio::sync::Semaphore;
use rocket::tokio::time::timeout;

use super::connection::{Backend, DbConn};
use super::postgres::{PgConnector, PgUrlError};
use super::url::{DatabaseUrl, UrlError};

pub type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

/// Set on every new SQLite connection; none of these takes a lock. Diesel installs no busy
/// handler, so without `busy_timeout` (set beside these, to `query_timeout`) concurrent
/// writers get "database is locked" at once. With WAL (set once per file at launch, see
/// migrations) `synchronous=NORMAL` still survives a process crash.
const SQLITE_PRAGMAS: &str = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

/// `databases.people.query_timeout` when unset: how long one request may wait on the database
/// in all, in seconds. Far above any query the app makes on 1,000,000 rows but a search, and
/// short enough that a stuck request gives its connection back soon.
pub const DEFAULT_QUERY_TIMEOUT: f64 = 5.0;

/// `databases.people.max_searches` when unset: how many requests may run queries that read
/// every row (a search) at once. The rest wait for a turn (at most `query_timeout`), so that
/// however many searches clients send, most connections, and on SQLite most of the
/// `max_blocking` threads, stay free for everything else.
pub const DEFAULT_MAX_SEARCHES: usize = 2;

pub struct PeoplePool {
    backend: Backends,
    query_timeout: Duration,
    searches: Arc<Semaphore>,
}

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
                    Box::pin(async move { connector.connect().await })
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
                manager_config.custom_setup = Box::new(move |path| {
                    let pragmas = pragmas.clone();
                    Box::pin(async move {
                        let mut conn = SqliteConn::establish(path).await?;
                        conn.batch_execute(&pragmas)
                            .await
                            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                        Ok(conn)
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
        })
    }

    /// A connection whose queries must all be done within `query_timeout` from now.
    async fn get(&self) -> Result<Self::Connection, Self::Error> {
        let backend = match &self.backend {
            Backends::Postgres(pool) => Backend::Postgres(pool.get().await?),
            Backends::Sqlite(pool) => Backend::Sqlite(pool.get().await?),
        };
        Ok(DbConn::new(backend, self.query_timeout))
    }

    /// Rocket calls this as soon as shutdown begins, before the requests in flight have
    /// finished (its grace period comes after), and handlers that read a body connect only
    /// once it has arrived: closing the pools here would answer them 503. Nothing is closed
    /// early; the connections close when the pools are dropped, after the last request.
    async fn close(&self) {}
}

impl PeoplePool {
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
