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
use super::postgres::{PgConnector, PgUrlError};
use super::url::{DatabaseUrl, UrlError};

pub type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

/// Set on every new SQLite connection; none of these takes a lock. Diesel installs no busy
/// handler, so without `busy_timeout` concurrent writers fail with "database is locked".
/// With WAL (set once per file at launch, see migrations) `synchronous=NORMAL` still survives
/// a process crash.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; \
     PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON;";

pub enum PeoplePool {
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
}

#[rocket::async_trait]
impl rocket_db_pools::Pool for PeoplePool {
    type Connection = DbConn;
    type Error = DbPoolError;

    async fn init(figment: &Figment) -> Result<Self, Self::Error> {
        let config: rocket_db_pools::Config = figment.extract().map_err(Box::new)?;
        let url = DatabaseUrl::parse(&config.url)?;
        let timeout = Duration::from_secs(config.connect_timeout);
        rocket::info!(
            "database: {url}, up to {} connections",
            config.max_connections
        );
        Ok(match url {
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
                    Box::pin(async move { connector.connect().await })
                });
                let manager = AsyncDieselConnectionManager::new_with_config(url, manager_config);
                Self::Postgres(build_pool(manager, config.max_connections, timeout)?)
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
                        Ok(conn)
                    })
                });
                let manager = AsyncDieselConnectionManager::new_with_config(path, manager_config);
                Self::Sqlite(build_pool(manager, config.max_connections, timeout)?)
            }
        })
    }

    async fn get(&self) -> Result<Self::Connection, Self::Error> {
        Ok(match self {
            Self::Postgres(pool) => DbConn::Postgres(pool.get().await?),
            Self::Sqlite(pool) => DbConn::Sqlite(pool.get().await?),
        })
    }

    async fn close(&self) {
        match self {
            Self::Postgres(pool) => pool.close(),
            Self::Sqlite(pool) => pool.close(),
        }
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
