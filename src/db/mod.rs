//! The database: a `rocket_db_pools` database named `people` over our own pool of
//! diesel-async connections (PostgreSQL or SQLite, chosen by the URL at launch), the
//! connection type queries run on, and the embedded migrations that run at launch. Nothing
//! here knows about people: the models above own the queries.

mod connection;
mod error_chain;
mod migrations;
mod pool;
mod postgres;
mod url;

use rocket::fairing::AdHoc;
use rocket_db_pools::Database;

pub use connection::DbConn;
pub(crate) use connection::with_connection;
pub use migrations::{MIGRATION_LOCK, migrate};
pub use pool::PeoplePool;
pub(crate) use pool::SqliteConn;

/// Request handlers take `Connection<Db>`: it derefs to a [`DbConn`], and answers 503
/// itself when no connection can be had within `connect_timeout`.
#[derive(Database)]
#[database("people")]
pub struct Db(PeoplePool);

/// Attaches the pool, then the migrations: fairings run in order, so the pool exists when
/// the migrations ask for a connection.
pub(crate) fn stage() -> AdHoc {
    AdHoc::on_ignite("Database", |rocket| async {
        rocket.attach(Db::init()).attach(migrations::fairing())
    })
}
