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

use super::connection::DbConn;
use super::error_chain::error_chain;
use super::postgres::{PgConnector, PgUrlError};
use super::url::{DatabaseUrl, UrlError};
use super::usage::{self, DEFAULT_SLOW_QUERY, DbFailure, QueryObserver};

pub type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

/// Set on every new SQLite connection; none of these takes a lock. Diesel installs no busy
/// handler, so without `busy_timeout` concurrent writers fail with "database is locked".
/// With WAL (set once per file at launch, see migrations) `synchronous=NORMAL` still survives
/// a process crash.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; \
     PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON;";

pub struct PeoplePool {
    backend: Backend,
    /// `slow_query_ms`: queries taking longer are logged.
    slow_query: Duration,
    connect_timeout: Duration,
}

enum Backend {
    Postgres(Pool<AsyncPgConnection>),
    Sqlite(Pool<SqliteConn>),
}

/// The database's own settings beside rocket_db_pools' (`url`, `max_connections`, ...).
#[derive(serde::Deserialize)]
struct ObserverConfig {
    slow_query_ms: Option<u64>,
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
}

#[rocket::async_trait]
impl rocket_db_pools::Pool for PeoplePool {
    type Connection = DbConn;
    type Error = DbPoolError;

    async fn init(figment: &Figment) -> Result<Self, Self::Error> {
        let config: rocket_db_pools::Config = figment.extract().map_err(Box::new)?;
        let observer: ObserverConfig = figment.extract().map_err(Box::new)?;
        let url = DatabaseUrl::parse(&config.url)?;
        let timeout = Duration::from_secs(config.connect_timeout);
        rocket::info!(
            "database: {url}, up to {} connections",
            config.max_connections
        );
        let backend = match url {
            DatabaseUrl::Postgres(url) => {
                // Fast recycling hands a pooled connection straight out: verifying each one
                // with a `SELECT 1` cost a round trip per request (show page: 23k -> 34k
                // req/s without it). A connection the server closed (a restart, an outage) is
                // still dropped, because diesel-async reports it broken, so the app recovers
                // without a restart (tests/production/outage.rs).
                let connector = Arc::new(PgConnector::from_url(&url)?);
                let mut manager_config = ManagerConfig::default();
                manager_config.recycling_method = RecyclingMethod::Fast;
                manager_config.custom_setup = Box::new(move |_url| {
                    let connector = Arc::clone(&connector);
                    Box::pin(async move { opened(connector.connect().await) })
                });
                let manager = AsyncDieselConnectionManager::new_with_config(url, manager_config);
                Backend::Postgres(build_pool(manager, config.max_connections, timeout)?)
            }
            DatabaseUrl::Sqlite(path) => {
                let mut manager_config = ManagerConfig::<SqliteConn>::default();
                manager_config.recycling_method = RecyclingMethod::Fast;
                manager_config.custom_setup = Box::new(|path| {
                    Box::pin(async move {
                        let mut conn = SqliteConn::establish(path).await?;
                        conn.batch_execute(SQLITE_PRAGMAS)
                            .await
                            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                        opened(Ok(conn))
                    })
                });
                let manager = AsyncDieselConnectionManager::new_with_config(path, manager_config);
                Backend::Sqlite(build_pool(manager, config.max_connections, timeout)?)
            }
        };
        Ok(Self {
            backend,
            slow_query: observer
                .slow_query_ms
                .map_or(DEFAULT_SLOW_QUERY, Duration::from_millis),
            connect_timeout: timeout,
        })
    }

    /// Inside a request, the connection reports its queries to the request's usage.
    async fn get(&self) -> Result<Self::Connection, Self::Error> {
        let usage = usage::current();
        let got = match &self.backend {
            Backend::Postgres(pool) => pool.get().await.map(DbConn::Postgres),
            Backend::Sqlite(pool) => pool.get().await.map(DbConn::Sqlite),
        };
        let mut conn = got.inspect_err(|e| {
            let failure = DbFailure::of_pool(e);
            if let Some(usage) = &usage {
                usage.record_failure(failure);
            }
            self.log_failure(failure, e);
        })?;
        conn.observe(QueryObserver::new(usage, self.slow_query));
        Ok(conn)
    }

    async fn close(&self) {
        match &self.backend {
            Backend::Postgres(pool) => pool.close(),
            Backend::Sqlite(pool) => pool.close(),
        }
    }
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
            Backend::Postgres(pool) => pool.status(),
            Backend::Sqlite(pool) => pool.status(),
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
}

/// Logs each connection the pool opens: after an outage, these lines show it recovering.
fn opened<C>(result: diesel::ConnectionResult<C>) -> diesel::ConnectionResult<C> {
    if result.is_ok() {
        tracing::info!(target: "people::db", "opened a database connection");
    }
    result
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
