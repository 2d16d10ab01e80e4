//! How this process writes to a SQLite file: one connection of its own, taken in turns.
//!
//! SQLite lets one connection write at a time. Pooled connections writing in turn paid
//! twice for it. A writer that found the file locked slept in SQLite's busy handler (1, 2, 5,
//! 10 ms and more) before it looked again, however soon the lock was free. And each write
//! came after another connection's, which made that connection's page cache stale: SQLite
//! threw it away and read every page the insert touched back from the file (41 `pread`s
//! per create, strace, 2026-11-26), which with the search index's and the history's
//! triggers was most of a create's time.
//!
//! So statements that write run whole on a blocking thread, on the one connection kept
//! here, under its mutex: the next writer, already on its thread, starts the moment the one
//! before is done, and finds its cache still true. At most `READY` writers hold a blocking
//! thread at once (the rest wait on the semaphore, holding no thread), so that writes never
//! take every blocking thread from the reads. A write whose statements are async (a
//! transaction on a pooled connection) holds every turn instead, which keeps the others
//! out for as long as it runs. Other processes on the same file still meet SQLite's lock,
//! and its `busy_timeout`.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use diesel::connection::{Connection, SimpleConnection};
use diesel::result::Error;
use diesel::{QueryResult, SqliteConnection};
use rocket::tokio::sync::{OwnedSemaphorePermit, Semaphore};
use rocket::tokio::task::spawn_blocking;
use rocket::tokio::time::{Instant, timeout_at};

use super::connection::DeadlinePassed;
use super::usage::{self, QueryObserver};

/// One writing, and the next on its thread, ready to start the moment the file is free.
const READY: u32 = 2;

pub struct Writers {
    ready: Arc<Semaphore>,
    /// Opened at the first write (the migrations may not have made the file yet when the pool
    /// is built), and again after one that could not be opened.
    connection: Mutex<Option<SqliteConnection>>,
    path: String,
    /// The pooled connections' (`busy_timeout`, `synchronous`, ...).
    pragmas: String,
    slow_query: Duration,
}

/// A writer's turn: given back when dropped.
pub struct WriteTurn {
    _ready: OwnedSemaphorePermit,
    writers: Arc<Writers>,
    /// The request's, taken on its task: the blocking thread has no request.
    observer: QueryObserver,
    deadline: Instant,
}

/// The pooled connections have a small page cache each (see `SQLITE_PRAGMAS`); the writer
/// is one connection, and the index pages every insert walks stay in its SQLite's default.
const WRITER_PRAGMAS: &str = "PRAGMA cache_size = -2000;";

impl Writers {
    pub fn new(path: String, pragmas: String, slow_query: Duration) -> Arc<Self> {
        Arc::new(Self {
            ready: Arc::new(Semaphore::new(READY as usize)),
            connection: Mutex::new(None),
            path,
            pragmas,
            slow_query,
        })
    }

    /// A turn for statements run by [`WriteTurn::write`]; `every` turn for a write whose
    /// statements are async on a pooled connection. Waited for until `deadline`.
    pub async fn turn(self: &Arc<Self>, every: bool, deadline: Instant) -> QueryResult<WriteTurn> {
        let permits = if every { READY } else { 1 };
        let ready = Arc::clone(&self.ready).acquire_many_owned(permits);
        match timeout_at(deadline, ready).await {
            Ok(Ok(ready)) => Ok(WriteTurn {
                _ready: ready,
                writers: Arc::clone(self),
                observer: QueryObserver::new(usage::current(), self.slow_query),
                deadline,
            }),
            // The semaphore is never closed; either way nothing was written.
            _ => Err(Error::QueryBuilderError(Box::new(DeadlinePassed))),
        }
    }

    fn open(&self) -> QueryResult<SqliteConnection> {
        let mut conn = SqliteConnection::establish(&self.path)
            .map_err(|e| Error::QueryBuilderError(Box::new(e)))?;
        conn.batch_execute(&self.pragmas)?;
        conn.batch_execute(WRITER_PRAGMAS)?;
        Ok(conn)
    }
}

impl WriteTurn {
    /// Runs `statements` on the writer's connection, on a blocking thread; the turn ends
    /// with them, there. They are not abandoned at the deadline, as reads are: a write
    /// that went on after its request had answered 503 would change what the client was
    /// told was not changed. Instead SQLite waits for another process's lock only until the
    /// deadline (`busy_timeout`, set for each write), so the answer says what happened.
    pub async fn write<T, F>(self, statements: F) -> QueryResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteConnection) -> QueryResult<T> + Send + 'static,
    {
        let written = spawn_blocking(move || {
            // A writer that panicked holding the lock left nothing half-written: SQLite
            // rolls back a statement or transaction that did not finish.
            let mut connection = self
                .writers
                .connection
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let conn = match &mut *connection {
                Some(conn) => conn,
                empty => empty.insert(self.writers.open()?),
            };
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::QueryBuilderError(Box::new(DeadlinePassed)));
            }
            conn.batch_execute(&format!(
                "PRAGMA busy_timeout = {}",
                left.as_millis().max(1)
            ))?;
            conn.set_instrumentation(self.observer);
            statements(conn)
        });
        written
            .await
            .unwrap_or_else(|panicked| Err(Error::QueryBuilderError(Box::new(panicked))))
    }
}
