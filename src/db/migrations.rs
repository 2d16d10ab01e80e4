//! Embedded Diesel migrations, one folder per backend, run once at launch.

use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::Object;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use rocket::fairing::AdHoc;
use rocket_db_pools::Pool;

use super::{Db, DbConn};

pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

type MigrationResult = Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>>;

pub fn fairing() -> AdHoc {
    AdHoc::try_on_ignite("Database migrations", |rocket| async {
        // No pool means the pool fairing already failed and said why.
        let Some(db) = rocket.state::<Db>() else {
            return Err(rocket);
        };
        match run_pending(db).await {
            Ok(applied) if applied.is_empty() => {
                rocket::info!("migrations: database schema is up to date");
                Ok(rocket)
            }
            Ok(applied) => {
                rocket::info!("migrations: applied {}", applied.join(", "));
                Ok(rocket)
            }
            Err(e) => {
                rocket::error!("cannot start: database migrations failed: {e}");
                Err(rocket)
            }
        }
    })
}

async fn run_pending(db: &Db) -> MigrationResult {
    match db.0.get().await? {
        DbConn::Sqlite(mut conn) => Ok(conn
            .spawn_blocking(|conn| {
                applied_versions(conn.run_pending_migrations(SQLITE))
                    .map_err(diesel::result::Error::QueryBuilderError)
            })
            .await?),
        DbConn::Postgres(conn) => {
            // diesel_migrations is synchronous: take the connection out of the pool and drive
            // it through the blocking wrapper on a blocking thread.
            let conn = Object::take(conn);
            rocket::tokio::task::spawn_blocking(move || {
                let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
                applied_versions(conn.run_pending_migrations(POSTGRES))
            })
            .await?
        }
    }
}

fn applied_versions<V: std::fmt::Display>(
    result: Result<Vec<V>, Box<dyn std::error::Error + Send + Sync>>,
) -> MigrationResult {
    result.map(|versions| versions.iter().map(ToString::to_string).collect())
}
