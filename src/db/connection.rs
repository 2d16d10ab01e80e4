//! One pooled connection to whichever backend is configured, and the macro that runs a query
//! on it: queries are written once and compiled for both backends. Every query also runs
//! against the connection's deadline (`query_timeout` from when the request took it), so no
//! request waits on the database for longer than that, whatever the database does.

use std::sync::Arc;
use std::time::Duration;

use diesel::connection::Instrumentation;
use diesel::result::Error;
use diesel::{QueryResult, SqliteConnection};
use diesel_async::RunQueryDsl;
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rocket::tokio::runtime::Handle;
use rocket::tokio::sync::OwnedSemaphorePermit;
use rocket::tokio::time::{Instant, timeout_at};

use super::pool::SqliteConn;
use super::writers::{WriteTurn, Writers};

pub struct DbConn {
    backend: Backend,
    deadline: Instant,
    /// A query ran past the deadline: the connection may still be busy (a SQLite query on its
    /// blocking thread) or dead (a PostgreSQL server behind a partition), so it is not given
    /// back to the pool.
    timed_out: bool,
    /// A search's turn (`PeoplePool::get_for_search`), given back with the connection.
    turn: Option<OwnedSemaphorePermit>,
    /// SQLite only: the turns this process's writers take (see `write_turn`).
    writers: Option<Arc<Writers>>,
}

#[expect(
    clippy::large_enum_variant,
    reason = "made once per request and never moved after; boxing would add an allocation"
)]
pub enum Backend {
    Postgres(Object<AsyncPgConnection>),
    Sqlite(Object<SqliteConn>),
    /// Only after the connection was taken out of the pool when dropped.
    Discarded,
}

/// A query was stopped at the request's deadline (`query_timeout`); the database may still be
/// finishing it on its side.
#[derive(Debug, thiserror::Error)]
#[error("the database did not answer within query_timeout")]
pub struct DeadlinePassed;

impl DeadlinePassed {
    /// Whether `error` is this, or the database's own statement timeout saying the same.
    pub fn is(error: &Error) -> bool {
        match error {
            Error::QueryBuilderError(e) => e.is::<DeadlinePassed>(),
            // PostgreSQL's `statement_timeout` (SQLSTATE 57014), which carries no code here.
            Error::DatabaseError(_, info) => info.message().contains("statement timeout"),
            _ => false,
        }
    }
}

impl DbConn {
    pub(super) fn new(
        backend: Backend,
        query_timeout: Duration,
        writers: Option<Arc<Writers>>,
    ) -> Self {
        Self {
            backend,
            deadline: Instant::now() + query_timeout,
            timed_out: false,
            turn: None,
            writers,
        }
    }

    /// Replaces whatever observed this connection for its previous user.
    pub(super) fn observe(&mut self, observer: impl Instrumentation) {
        match &mut self.backend {
            Backend::Postgres(c) => c.set_instrumentation(observer),
            Backend::Sqlite(c) => c.set_instrumentation(observer),
            Backend::Discarded => {}
        }
    }

    pub(super) fn holding(mut self, turn: OwnedSemaphorePermit) -> Self {
        self.turn = Some(turn);
        self
    }

    pub(super) fn into_backend(mut self) -> Backend {
        std::mem::replace(&mut self.backend, Backend::Discarded)
    }

    /// Used by `with_connection!` only.
    pub(crate) fn backend_mut(&mut self) -> &mut Backend {
        &mut self.backend
    }

    /// Runs `query` until the deadline; past it, the query is abandoned and this connection
    /// will be dropped instead of reused. Used by `with_connection!` only.
    pub(crate) async fn within<T>(
        deadline: Instant,
        query: impl Future<Output = QueryResult<T>>,
    ) -> QueryResult<T> {
        timeout_at(deadline, query)
            .await
            .unwrap_or_else(|_| Err(Error::QueryBuilderError(Box::new(DeadlinePassed))))
    }

    /// Brings the deadline forward to `deadline` if that is sooner: for a request that had
    /// waited before it took this connection.
    pub(super) fn finish_by(&mut self, deadline: Instant) {
        self.deadline = self.deadline.min(deadline);
    }

    pub(crate) fn deadline(&self) -> Instant {
        self.deadline
    }

    /// On SQLite, this process's turn to write (`db::writers`), waited for until the
    /// deadline: `every` turn for a write whose statements are async on this connection;
    /// `None` on PostgreSQL, whose writers lock only the rows they touch.
    pub(crate) async fn write_turn(&self, every: bool) -> QueryResult<Option<WriteTurn>> {
        let Some(writers) = &self.writers else {
            return Ok(None);
        };
        let turn = writers.turn(every, self.deadline).await;
        super::usage::count_failure(&turn);
        turn.map(Some)
    }

    /// Whether this connection's writes go to this process's writer connection (SQLite).
    pub(crate) fn has_writer(&self) -> bool {
        self.writers.is_some()
    }

    /// SQLite only: runs `statements` on this process's writer connection (`db::writers`)
    /// in its turn, waited for until the deadline (`WriteTurn::write` says how the deadline
    /// bounds the write itself).
    pub(crate) async fn on_writer<T, F>(&self, statements: F) -> QueryResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteConnection) -> QueryResult<T> + Send + 'static,
    {
        match self.write_turn(false).await? {
            Some(turn) => turn.write(statements).await,
            None => Err(Error::BrokenTransactionManager),
        }
    }

    /// What every query macro does with its result: a query stopped at the deadline marks
    /// this connection as not to be reused, and any failure is counted against the request
    /// being served (here, because diesel's instrumentation does not see every SQLite error).
    pub(crate) fn settled<T>(&mut self, result: QueryResult<T>) -> QueryResult<T> {
        if let Err(Error::QueryBuilderError(e)) = &result
            && e.is::<DeadlinePassed>()
        {
            self.timed_out = true;
        }
        super::usage::count_failure(&result);
        result
    }

    /// The cheapest query that proves the database answers.
    pub async fn ping(&mut self) -> QueryResult<()> {
        with_connection!(self, |c| diesel::sql_query("SELECT 1")
            .execute(c)
            .await
            .map(drop))
    }
}

impl Drop for DbConn {
    fn drop(&mut self) {
        if !self.timed_out {
            return;
        }
        // Taken out of the pool, the connection closes when whatever still uses it ends (the
        // SQLite query on its blocking thread), and the pool opens a fresh one in its place.
        let turn = self.turn.take();
        match std::mem::replace(&mut self.backend, Backend::Discarded) {
            Backend::Postgres(conn) => drop(Object::take(conn)),
            Backend::Sqlite(conn) => {
                let mut conn = Object::take(conn);
                // A search's turn ends when its query does: the SQLite query still runs on
                // its blocking thread, and a turn given back now would let one more scan
                // start beside it. Running a no-op after it tells when it is done.
                if let Ok(runtime) = Handle::try_current() {
                    runtime.spawn(async move {
                        let _ = conn.spawn_blocking(|_| Ok(())).await;
                        drop(turn);
                    });
                }
            }
            Backend::Discarded => {}
        }
    }
}

/// Runs one query body against whichever backend `$conn` (a `&mut DbConn`) holds, binding
/// `$c` to the concrete connection, until the connection's deadline. The body is compiled
/// once per backend, so every query exists for both or fails to build. A failure is counted
/// against the request being served (`DbConn::settled`).
macro_rules! with_connection {
    ($conn:expr, |$c:ident| $body:expr) => {{
        let conn: &mut $crate::db::DbConn = $conn;
        let deadline = conn.deadline();
        let result = match conn.backend_mut() {
            $crate::db::Backend::Postgres($c) => {
                let $c: &mut ::diesel_async::AsyncPgConnection = &mut *$c;
                $crate::db::DbConn::within(deadline, async { $body }).await
            }
            $crate::db::Backend::Sqlite($c) => {
                let $c: &mut $crate::db::SqliteConn = &mut *$c;
                $crate::db::DbConn::within(deadline, async { $body }).await
            }
            $crate::db::Backend::Discarded => {
                Err(::diesel::result::Error::BrokenTransactionManager)
            }
        };
        conn.settled(result)
    }};
}

pub(crate) use with_connection;

/// `with_connection!` for a body that writes: on SQLite it first waits for every turn of
/// this process's writers (`DbConn::write_turn`), held until the body is done.
macro_rules! writing {
    ($conn:expr, |$c:ident| $body:expr) => {{
        let conn: &mut $crate::db::DbConn = $conn;
        match conn.write_turn(true).await {
            Ok(_turn) => $crate::db::with_connection!(conn, |$c| $body),
            Err(e) => Err(e),
        }
    }};
}

pub(crate) use writing;

/// The one row that `$query` (an `INSERT` or `UPDATE` with `RETURNING`, built as for
/// `load_rows!`) writes and returns, or `Err(NotFound)` when it wrote none. On SQLite it runs
/// on this process's writer connection (`DbConn::on_writer`), not on `$conn`; elsewhere as
/// any query does.
macro_rules! write_returning {
    ($conn:expr, $query:expr) => {{
        let conn: &mut $crate::db::DbConn = $conn;
        if conn.has_writer() {
            let query = $query;
            let row = conn
                .on_writer(move |c| ::diesel::RunQueryDsl::get_result(query, c))
                .await;
            conn.settled(row)
        } else {
            $crate::db::with_connection!(conn, |c| {
                ::diesel_async::RunQueryDsl::get_result($query, c).await
            })
        }
    }};
}

pub(crate) use write_returning;

/// Every row of `$query` (an expression building a query, compiled once per backend like
/// `with_connection!`'s body), loaded until the connection's deadline. On SQLite the rows are
/// decoded on the blocking thread that reads them. diesel-async's own `load` on SQLite copies
/// every value of every row (`sqlite3_value_dup`: a malloc for the value and one for its text)
/// to hand the rows back to the async side, which then decodes them into new values: for a
/// list page of 51 rows that was over a thousand allocations, and the allocator took a
/// quarter of the server's time on the list (bench/README.md, "Profiling"). The query must own
/// what it binds, since it moves to the blocking thread.
macro_rules! load_rows {
    ($conn:expr, $query:expr) => {{
        let conn: &mut $crate::db::DbConn = $conn;
        let deadline = conn.deadline();
        let result = match conn.backend_mut() {
            $crate::db::Backend::Postgres(c) => {
                let c: &mut ::diesel_async::AsyncPgConnection = &mut *c;
                let rows = ::diesel_async::RunQueryDsl::load($query, c);
                $crate::db::DbConn::within(deadline, rows).await
            }
            $crate::db::Backend::Sqlite(c) => {
                let c: &mut $crate::db::SqliteConn = &mut *c;
                let query = $query;
                let rows = c.spawn_blocking(move |c| ::diesel::RunQueryDsl::load(query, c));
                $crate::db::DbConn::within(deadline, rows).await
            }
            $crate::db::Backend::Discarded => {
                Err(::diesel::result::Error::BrokenTransactionManager)
            }
        };
        conn.settled(result)
    }};
}

pub(crate) use load_rows;

/// `with_connection!`, with the body in one transaction on either backend: committed when it
/// returns `Ok`, rolled back when it returns `Err` (or is stopped at the deadline, which also
/// drops the connection). On SQLite the transaction begins `IMMEDIATE`: it takes the write
/// lock at `BEGIN`, waiting under `busy_timeout`. A deferred one took it at its first write,
/// and if the connection had read anything in between (SQLite reads its schema while
/// preparing a statement) another writer's commit made that snapshot stale: SQLite then
/// answers "database is locked" at once, without waiting, which the tests saw as a 503 for a
/// delete racing an update.
macro_rules! in_transaction {
    ($conn:expr, |$c:ident| $body:expr) => {{
        let conn: &mut $crate::db::DbConn = $conn;
        let deadline = conn.deadline();
        let turn = conn.write_turn(true).await;
        let result = match (turn, conn.backend_mut()) {
            (Err(e), _) => Err(e),
            (Ok(_), $crate::db::Backend::Postgres(pg)) => {
                let pg: &mut ::diesel_async::AsyncPgConnection = &mut *pg;
                let work = ::diesel_async::AsyncConnection::transaction(pg, async |$c| $body);
                $crate::db::DbConn::within(deadline, work).await
            }
            (Ok(_turn), $crate::db::Backend::Sqlite(sqlite)) => {
                let sqlite: &mut $crate::db::SqliteConn = &mut *sqlite;
                let work = sqlite.immediate_transaction(async |$c| $body);
                $crate::db::DbConn::within(deadline, work).await
            }
            (Ok(_), $crate::db::Backend::Discarded) => {
                Err(::diesel::result::Error::BrokenTransactionManager)
            }
        };
        conn.settled(result)
    }};
}

pub(crate) use in_transaction;
