//! Embedded Diesel migrations, one folder per backend, run once at launch.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::result::Error;
use diesel::sql_types::{BigInt, Bool};
use diesel::{Connection, QueryResult, RunQueryDsl, SqliteConnection};
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
use super::{Backend, Db, DbConn, PeoplePool};

pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

type MigrationResult = Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>>;

/// A step of an upgrade that SQL cannot express (the app's own name rules, say), run right
/// after the schema migration named by `after`, in the same transaction: if either fails,
/// neither is applied, and the next launch tries both again.
pub struct DataMigration {
    /// The schema migration's version: its folder name up to the `_`, e.g. `2026-11-26-000110`.
    pub after: &'static str,
    pub sqlite: fn(&mut SqliteConnection) -> QueryResult<()>,
    pub postgres: fn(&mut AsyncConnectionWrapper<AsyncPgConnection>) -> QueryResult<()>,
}

/// `databases.people.migration_lock_timeout` when unset, in seconds: how long an instance
/// waits for another one to finish migrating before it gives up launching.
pub const DEFAULT_MIGRATION_LOCK_TIMEOUT: u64 = 60;

#[derive(Debug, thiserror::Error)]
#[error(
    "another instance has held the migration lock for {0:?} (it may be hung); stop it, or \
     raise databases.people.migration_lock_timeout"
)]
struct LockTimedOut(Duration);

#[derive(Debug, thiserror::Error)]
enum LaunchError {
    #[error("{target} is not answering: {reason}")]
    Unreachable { target: String, reason: String },
    #[error("migrating {target} failed: {reason}")]
    Migration { target: String, reason: String },
}

pub fn fairing(data_migrations: &'static [DataMigration]) -> AdHoc {
    AdHoc::try_on_ignite("Database migrations", move |rocket| async move {
        // No pool means the pool fairing already failed and said why.
        let Some(db) = rocket.state::<Db>() else {
            return Err(rocket);
        };
        match migrate_with(&db.0, rocket.figment(), data_migrations).await {
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
pub async fn migrate(
    figment: &Figment,
    data_migrations: &'static [DataMigration],
) -> Result<String, String> {
    // The defaults rocket_db_pools gives a launch; one connection is all migrating needs.
    let settings = figment
        .focus("databases.people")
        .join(Serialized::default("max_connections", 1))
        .join(Serialized::default("connect_timeout", 5));
    let pool = PeoplePool::init(&settings)
        .await
        .map_err(|e| error_chain(&e))?;
    let migrated = migrate_with(&pool, figment, data_migrations).await;
    pool.close().await;
    migrated
        .map(|applied| describe_applied(&applied))
        .map_err(|e| e.to_string())
}

async fn migrate_with(
    pool: &PeoplePool,
    figment: &Figment,
    data_migrations: &'static [DataMigration],
) -> Result<Vec<String>, LaunchError> {
    let target = describe_target(figment);
    let lock_timeout = Duration::from_secs(
        figment
            .extract_inner("databases.people.migration_lock_timeout")
            .unwrap_or(DEFAULT_MIGRATION_LOCK_TIMEOUT),
    );
    match pool.get().await {
        Err(e) => Err(LaunchError::Unreachable {
            target,
            reason: error_chain(&e),
        }),
        Ok(conn) => run_pending(conn, data_migrations, lock_timeout)
            .await
            .map_err(|e| LaunchError::Migration {
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

async fn run_pending(
    conn: DbConn,
    data_migrations: &'static [DataMigration],
    lock_timeout: Duration,
) -> MigrationResult {
    match conn.into_backend() {
        Backend::Sqlite(mut conn) => Ok(conn
            .spawn_blocking(move |conn| {
                use_write_ahead_log(conn)?;
                // IMMEDIATE takes the write lock up front, so a second process waits (up to
                // busy_timeout) instead of racing to create the same tables; each migration's
                // own transaction becomes a savepoint inside this one.
                conn.immediate_transaction(|conn| {
                    let applied = applied_versions(conn.run_pending_migrations(SQLITE))
                        .map_err(Error::QueryBuilderError)?;
                    for step in due(data_migrations, &applied) {
                        (step.sqlite)(conn)?;
                    }
                    Ok(applied)
                })
            })
            .await?),
        Backend::Postgres(conn) => {
            // diesel_migrations is synchronous: take the connection out of the pool and drive
            // it through the blocking wrapper on a blocking thread. It is not returned to the
            // pool, so closing it also releases the lock if anything below fails.
            let conn = Object::take(conn);
            rocket::tokio::task::spawn_blocking(move || {
                let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
                take_advisory_lock(&mut conn, lock_timeout)?;
                // One transaction for all of them (each migration's own becomes a savepoint),
                // so a data migration that fails undoes the schema change it follows.
                let applied = conn.transaction(|conn| {
                    let applied = applied_versions(conn.run_pending_migrations(POSTGRES))
                        .map_err(Error::QueryBuilderError)?;
                    for step in due(data_migrations, &applied) {
                        (step.postgres)(conn)?;
                    }
                    Ok::<_, Error>(applied)
                })?;
                diesel::sql_query("SELECT pg_advisory_unlock($1)")
                    .bind::<BigInt, _>(MIGRATION_LOCK)
                    .execute(&mut conn)?;
                Ok(applied)
            })
            .await?
        }
        Backend::Discarded => Err(Error::BrokenTransactionManager.into()),
    }
}

/// The data migrations that follow a schema migration applied just now.
fn due<'a>(
    data_migrations: &'a [DataMigration],
    applied: &'a [String],
) -> impl Iterator<Item = &'a DataMigration> {
    data_migrations.iter().filter(move |step| {
        let version = step.after.replace('-', "");
        applied
            .iter()
            .any(|applied| applied.replace('-', "") == version)
    })
}

/// Waits for the advisory lock no longer than `timeout`: an instance that hangs while holding
/// it must not keep every other instance from launching, silently, for ever.
fn take_advisory_lock(
    conn: &mut AsyncConnectionWrapper<AsyncPgConnection>,
    timeout: Duration,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let started = Instant::now();
    loop {
        let taken: bool = diesel::select(
            diesel::dsl::sql::<Bool>("pg_try_advisory_lock(")
                .bind::<BigInt, _>(MIGRATION_LOCK)
                .sql(")"),
        )
        .get_result(conn)?;
        if taken {
            return Ok(());
        }
        if started.elapsed() >= timeout {
            return Err(LockTimedOut(timeout).into());
        }
        std::thread::sleep(Duration::from_millis(100));
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

fn applied_versions<V: std::fmt::Display>(
    result: Result<Vec<V>, Box<dyn std::error::Error + Send + Sync>>,
) -> MigrationResult {
    result.map(|versions| versions.iter().map(ToString::to_string).collect())
}
