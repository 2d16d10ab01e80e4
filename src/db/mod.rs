//! The database: a `rocket_db_pools` database named `people` over our own pool, and the
//! embedded migrations that run at launch.

mod error_chain;
mod migrations;
mod ping;
mod pool;
mod postgres;
mod url;

use rocket::fairing::AdHoc;
use rocket_db_pools::Database;

pub use migrations::MIGRATION_LOCK;
pub use ping::ping;
pub use pool::{DbConn, DbPoolError, PeoplePool, SqliteConn};
pub use url::{DatabaseUrl, UrlError};

/// Request handlers take `Connection<Db>`: it derefs to a [`DbConn`], and answers 503
/// itself when no connection can be had within `connect_timeout`.
#[derive(Database)]
#[database("people")]
pub struct Db(PeoplePool);

/// Attaches the pool, then the migrations: fairings run in order, so the pool exists when
/// the migrations ask for a connection.
pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Database", |rocket| async {
        rocket.attach(Db::init()).attach(migrations::fairing())
    })
}
