//! The database: a `rocket_db_pools` database named `people` over our own pool of
//! diesel-async connections (PostgreSQL or SQLite, chosen by the URL at launch), the
//! connection type queries run on (with its deadline, `query_timeout`), the embedded
//! migrations that run at launch, what each request's queries cost (`usage`), and reads
//! shared by the requests that ask for the same thing at once (`shared_reads`). Nothing
//! here knows about people: the models above own the queries, and hand the migrations their
//! upgrade steps in Rust (`DataMigration`).

mod connection;
mod error_chain;
mod migrations;
mod pool;
mod postgres;
mod shared_reads;
mod url;
mod usage;
mod writers;

use rocket::fairing::AdHoc;
use rocket_db_pools::Database;

pub(crate) use connection::Backend;
pub use connection::{DbConn, DeadlinePassed};
pub(crate) use connection::{in_transaction, load_rows, with_connection, write_returning, writing};
pub use migrations::{DataMigration, MIGRATION_LOCK, migrate};
pub(crate) use pool::SqliteConn;
pub use pool::{DbPoolError, PeoplePool, PoolStatus};
pub use shared_reads::{ReadLost, SharedFailure, SharedReads};
pub use usage::{DbFailure, DbUsage, millis, scope};

/// Request handlers take `Connection<Db>`: it derefs to a [`DbConn`], and answers 503
/// itself when no connection can be had within `connect_timeout`. Handlers that read a body
/// take `&Db` instead and call [`Db::connect`] once the body is read: request guards run
/// before the body is, so a `Connection` guard would be held while a client trickles it.
#[derive(Database)]
#[database("people")]
pub struct Db(PeoplePool);

impl Db {
    /// A handle on the same pool, for work outside requests (the trash purge).
    pub fn pool(&self) -> PeoplePool {
        self.0.clone()
    }

    pub async fn connect(&self) -> Result<DbConn, DbPoolError> {
        rocket_db_pools::Pool::get(&self.0).await
    }

    /// `connect`, for a request whose queries may read every row (`searching`): at most
    /// `max_searches` such requests hold connections at once.
    pub async fn connect_reading_all(&self, searching: bool) -> Result<DbConn, DbPoolError> {
        self.0.connect_reading_all(searching).await
    }
}

/// Attaches the pool, then the migrations: fairings run in order, so the pool exists when
/// the migrations ask for a connection.
/// `data_migrations` are the upgrade steps written in Rust (see [`DataMigration`]).
pub(crate) fn stage(data_migrations: &'static [DataMigration]) -> AdHoc {
    AdHoc::on_ignite("Database", move |rocket| async move {
        rocket
            .attach(Db::init())
            .attach(migrations::fairing(data_migrations))
    })
}
