//! Embedded Diesel migrations, one folder per backend, run once at launch.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::result::Error;
use diesel::sql_types::BigInt;
use diesel::{QueryResult, RunQueryDsl, SqliteConnection};
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::Object;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::figment::providers::Serialized;
use rocket_db_pools::Pool;

use super::error_chain::error_chain;
use super::url::DatabaseUrl;
use super::{Db, DbConn, PeoplePool};

pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

type MigrationResult = Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>>;

#[derive(Debug, thiserror::Error)]
enum LaunchError {
    #[error("{target} is not answering: {reason}")]
    Unreachable { target: String, reason: String },
    #[error("migrating {target} failed: {reason}")]
    Migration { target: String, reason: String },
}

pub fn fairing() -> AdHoc {
    AdHoc::try_on_ignite("Database migrations", |rocket| async {
        // No pool means the pool fairing already failed and said why.
        let Some(db) = rocket.state::<Db>() else {
            return Err(rocket);
        };
        match migrate_with(&db.0, describe_target(rocket.figment())).await {
            Ok(applied) => {
                rocket::info!("migrations: {}", describe_applied(&applied));
                Ok(rocket)
            }
            Err(e) => {
                // The one line an operator reads when the app will not start.
                rocket::error!("people: cannot start: {e}");
                Err(rocket)
            }
        }
    })
}

/// `people migrate`: what a launch does to the database, without serving; for a release step
/// before instances start. The launch still migrates (under the same lock), so both are safe.
/// Returns what it did, in words for the operator.
pub async fn migrate(figment: &Figment) -> Result<String, String> {
    let target = describe_target(figment);
    // The defaults rocket_db_pools gives a launch; one connection is all migrating needs.
    let settings = figment
        .focus("databases.people")
        .join(Serialized::default("max_connections", 1))
        .join(Serialized::default("connect_timeout", 5));
    let pool = PeoplePool::init(&settings)
        .await
        .map_err(|e| error_chain(&e))?;
    let migrated = migrate_with(&pool, target).await;
    pool.close().await;
    migrated
        .map(|applied| describe_applied(&applied))
        .map_err(|e| e.to_string())
}

async fn migrate_with(pool: &PeoplePool, target: String) -> Result<Vec<String>, LaunchError> {
    match pool.get().await {
        Err(e) => Err(LaunchError::Unreachable {
            target,
            reason: error_chain(&e),
        }),
        Ok(conn) => run_pending(conn).await.map_err(|e| LaunchError::Migration {
            target,
            reason: error_chain(&*e),
        }),
    }
}

fn describe_applied(applied: &[String]) -> String {
    if applied.is_empty() {
        "database schema is up to date".to_owned()
    } else {
        format!("applied {}", applied.join(", "))
    }
}

/// Key of the PostgreSQL advisory lock held while migrating ("people" in ASCII), so that
/// instances launched together migrate one at a time: the first applies, the rest wait and
/// then find nothing pending.
pub const MIGRATION_LOCK: i64 = 0x7065_6f70_6c65;

/// The configured database as logs may show it (no password).
fn describe_target(figment: &Figment) -> String {
    figment
        .extract_inner::<String>("databases.people.url")
        .ok()
        .and_then(|url| DatabaseUrl::parse(&url).ok())
        .map_or_else(|| "the database".to_owned(), |url| url.to_string())
}

async fn run_pending(conn: DbConn) -> MigrationResult {
    match conn {
        DbConn::Sqlite(mut conn) => Ok(conn
            .spawn_blocking(|conn| {
                use_write_ahead_log(conn)?;
                // IMMEDIATE takes the write lock up front, so a second process waits (up to
                // busy_timeout) instead of racing to create the same tables; each migration's
                // own transaction becomes a savepoint inside this one.
                conn.immediate_transaction(|conn| {
                    applied_versions(conn.run_pending_migrations(SQLITE))
                })
                .map_err(diesel::result::Error::QueryBuilderError)
            })
            .await?),
        DbConn::Postgres(conn) => {
            // diesel_migrations is synchronous: take the connection out of the pool and drive
            // it through the blocking wrapper on a blocking thread. It is not returned to the
            // pool, so closing it also releases the lock if anything below fails.
            let conn = Object::take(conn);
            rocket::tokio::task::spawn_blocking(move || {
                let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
                advisory_lock(&mut conn, "pg_advisory_lock")?;
                let applied = applied_versions(conn.run_pending_migrations(POSTGRES));
                advisory_lock(&mut conn, "pg_advisory_unlock")?;
                applied
            })
            .await?
        }
    }
}

/// WAL lets readers run beside the writer, and it is a property of the file: set it once,
/// here. Switching needs a moment of exclusive access, and SQLite answers "locked" at once,
/// without its busy handler, when another process is writing (waiting could deadlock), so
/// this retries for as long as `busy_timeout` would have waited.
fn use_write_ahead_log(conn: &mut SqliteConnection) -> QueryResult<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match conn.batch_execute("PRAGMA journal_mode = WAL") {
            Err(Error::DatabaseError(_, info))
                if info.message().contains("locked") && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            result => return result,
        }
    }
}

fn advisory_lock(
    conn: &mut AsyncConnectionWrapper<AsyncPgConnection>,
    function: &str,
) -> QueryResult<usize> {
    diesel::sql_query(format!("SELECT {function}($1)"))
        .bind::<BigInt, _>(MIGRATION_LOCK)
        .execute(conn)
}

fn applied_versions<V: std::fmt::Display>(
    result: Result<Vec<V>, Box<dyn std::error::Error + Send + Sync>>,
) -> MigrationResult {
    result.map(|versions| versions.iter().map(ToString::to_string).collect())
}
