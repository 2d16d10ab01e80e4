//! How this process writes to a SQLite file: one connection of its own, and the writes that
//! arrive together committed together.
//!
//! SQLite lets one connection write at a time. Pooled connections writing in turn paid
//! twice for it. A writer that found the file locked slept in SQLite's busy handler (1, 2, 5,
//! 10 ms and more) before it looked again, however soon the lock was free. And each write
//! came after another connection's, which made that connection's page cache stale: SQLite
//! threw it away and read every page the insert touched back from the file (41 `pread`s
//! per create, strace, 2026-11-26).
//!
//! So statements that write are queued here and run on one connection kept for them, by one
//! blocking thread at a time (the drainer), whose page cache stays true. The drainer takes
//! every write queued when it looks and runs them in one transaction, each in a savepoint of
//! its own: a write that fails (a name taken) is rolled back alone, the others commit, and
//! the commit's cost (its WAL pages, the search index's segment) is shared by all. Each
//! write's caller learns its outcome only once the transaction is committed.
//!
//! At most `READY` writes wait or run at once; they hold no thread while they wait. A write
//! whose statements are async (a transaction on a pooled connection) takes every turn,
//! which waits for the queued writes to finish and keeps new ones out while it runs. Other
//! processes on the same file still meet SQLite's lock, and its `busy_timeout`.

use std::mem;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use diesel::connection::{Connection, SimpleConnection};
use diesel::result::Error;
use diesel::{QueryResult, SqliteConnection};
use rocket::tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};
use rocket::tokio::task::spawn_blocking;
use rocket::tokio::time::{Instant, timeout_at};

use super::connection::DeadlinePassed;
use super::usage::{self, QueryObserver};

/// How many writes may be queued or running at once; more wait for a turn.
const READY: u32 = 32;

/// The pooled connections have a small page cache each (see `SQLITE_PRAGMAS`); the writer
/// is one connection, and the index pages every insert walks stay in SQLite's default.
const WRITER_PRAGMAS: &str = "PRAGMA cache_size = -2000;";

/// What a queued write does once the drainer has its batch's transaction open: run its
/// statements (`Some`), or nothing (`None`, when the transaction could not begin), and say
/// how to tell its caller once the batch has ended.
type Job = Box<dyn FnOnce(Option<&mut SqliteConnection>) -> Outcome + Send>;
/// Tells a write's caller how it went, given how its batch ended.
type Outcome = Box<dyn FnOnce(Result<(), &Error>) + Send>;

struct Queued {
    job: Job,
    deadline: Instant,
    observer: QueryObserver,
}

pub struct Writers {
    ready: Arc<Semaphore>,
    queue: Mutex<Vec<Queued>>,
    /// A drainer has been started and has not yet found the queue empty.
    draining: AtomicBool,
    /// Opened at the first write (the migrations may not have made the file yet when the pool
    /// is built), and again after one that could not be opened or a write that panicked.
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
    /// The request's, taken on its task: the drainer's thread has no request.
    observer: QueryObserver,
    deadline: Instant,
}

impl Writers {
    pub fn new(path: String, pragmas: String, slow_query: Duration) -> Arc<Self> {
        Arc::new(Self {
            ready: Arc::new(Semaphore::new(READY as usize)),
            queue: Mutex::new(Vec::new()),
            draining: AtomicBool::new(false),
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

    fn queue(&self) -> MutexGuard<'_, Vec<Queued>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts a drainer unless one is running.
    fn kick(self: &Arc<Self>) {
        if !self.draining.swap(true, Ordering::AcqRel) {
            let writers = Arc::clone(self);
            drop(spawn_blocking(move || writers.drain()));
        }
    }

    /// Runs the queued writes, a batch at a time, until none is left.
    fn drain(&self) {
        loop {
            let batch = mem::take(&mut *self.queue());
            if batch.is_empty() {
                self.draining.store(false, Ordering::Release);
                // A write queued after the take saw a drainer running and started none.
                if self.queue().is_empty() || self.draining.swap(true, Ordering::AcqRel) {
                    return;
                }
                continue;
            }
            self.run(batch);
        }
    }

    fn run(&self, batch: Vec<Queued>) {
        let mut connection = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let conn = match &mut *connection {
            Some(conn) => conn,
            empty => match self.open() {
                Ok(conn) => empty.insert(conn),
                Err(e) => return end_unrun(batch, &e),
            },
        };
        let now = Instant::now();
        let (live, late): (Vec<_>, Vec<_>) = batch.into_iter().partition(|q| q.deadline > now);
        end_unrun(late, &Error::QueryBuilderError(Box::new(DeadlinePassed)));
        let Some(first) = live.iter().map(|q| q.deadline).min() else {
            return;
        };
        // Another process's lock is waited for only as long as the most pressed write may.
        let left = first.saturating_duration_since(now).as_millis().max(1);
        if let Err(e) = conn.batch_execute(&format!("PRAGMA busy_timeout = {left}")) {
            return end_unrun(live, &e);
        }
        let mut outcomes = Vec::with_capacity(live.len());
        let mut panicked = false;
        let mut pending = live.into_iter();
        let committed = conn.immediate_transaction(|c| {
            for queued in pending.by_ref() {
                c.set_instrumentation(queued.observer);
                let job = queued.job;
                match catch_unwind(AssertUnwindSafe(|| job(Some(&mut *c)))) {
                    Ok(outcome) => outcomes.push(outcome),
                    // The panicking write's caller hears of it from its dropped sender.
                    Err(_) => {
                        panicked = true;
                        return Err(Error::RollbackTransaction);
                    }
                }
            }
            Ok(())
        });
        // Those the transaction did not reach: it could not begin, or a write panicked.
        outcomes.extend(pending.map(|queued| (queued.job)(None)));
        if panicked {
            // Its transaction manager may be in any state: start again on a fresh connection.
            *connection = None;
        }
        let ended = committed.as_ref().map(|_| ());
        for outcome in outcomes {
            outcome(ended);
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

/// Ends writes that never ran with `error`.
fn end_unrun(batch: Vec<Queued>, error: &Error) {
    for queued in batch {
        (queued.job)(None)(Err(error));
    }
}

/// `error` again, for each of a batch's writes: diesel's errors cannot be cloned. The
/// database's message is kept, which is what tells a busy file from a broken one.
fn again(error: &Error) -> Error {
    match error {
        Error::DatabaseError(kind, info) => {
            Error::DatabaseError(*kind, Box::new(info.message().to_owned()))
        }
        Error::QueryBuilderError(e) if e.is::<DeadlinePassed>() => {
            Error::QueryBuilderError(Box::new(DeadlinePassed))
        }
        other => Error::QueryBuilderError(other.to_string().into()),
    }
}

/// `statements` as a queued write, and where its answer will come.
fn queued<T, F>(
    statements: F,
    deadline: Instant,
    observer: QueryObserver,
) -> (Queued, oneshot::Receiver<QueryResult<T>>)
where
    T: Send + 'static,
    F: FnOnce(&mut SqliteConnection) -> QueryResult<T> + Send + 'static,
{
    let (answer, answered) = oneshot::channel::<QueryResult<T>>();
    let job: Job = Box::new(move |conn| {
        let ran = conn.map(|c| c.transaction(statements));
        Box::new(move |batch| {
            let result = match (ran, batch) {
                // Its own failure: rolled back to its savepoint, whatever the batch did.
                (Some(Err(e)), _) => Err(e),
                (Some(Ok(value)), Ok(())) => Ok(value),
                (_, Err(e)) => Err(again(e)),
                (None, Ok(())) => Err(Error::BrokenTransactionManager),
            };
            let _ = answer.send(result);
        })
    });
    let queued = Queued {
        job,
        deadline,
        observer,
    };
    (queued, answered)
}

impl WriteTurn {
    /// Runs `statements` in the next batch on the writer's connection, in a savepoint of
    /// their own, and answers once that batch is committed. A write is not abandoned at the
    /// deadline, as reads are: one that went on after its request had answered 503 would
    /// change what the client was told was not changed. Instead the batch waits for another
    /// process's lock only until its earliest deadline (`busy_timeout`), and writes whose
    /// deadline passed in the queue are not run.
    pub async fn write<T, F>(self, statements: F) -> QueryResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteConnection) -> QueryResult<T> + Send + 'static,
    {
        let Self {
            _ready: turn,
            writers,
            observer,
            deadline,
        } = self;
        let (queued, answered) = queued(statements, deadline, observer);
        writers.queue().push(queued);
        writers.kick();
        let result = answered
            .await
            .unwrap_or_else(|_| Err(Error::QueryBuilderError("the write panicked".into())));
        drop(turn);
        result
    }
}

#[cfg(test)]
mod tests {
    use diesel::QueryableByName;
    use diesel::sql_types::BigInt;

    use super::*;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn insert(x: i32) -> impl FnOnce(&mut SqliteConnection) -> QueryResult<usize> + Send {
        move |c| {
            let insert = diesel::sql_query(format!("INSERT INTO t VALUES ({x})"));
            diesel::RunQueryDsl::execute(insert, c)
        }
    }

    /// Writes queued together are committed together, each in a savepoint of its own: one
    /// refused by a unique index fails alone, the others are written.
    #[rocket::async_test]
    async fn a_batch_commits_its_writes_and_rolls_back_only_a_failing_one() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("t.db").display().to_string();
        let writers = Writers::new(path, String::new(), Duration::from_secs(1));
        let deadline = Instant::now() + Duration::from_secs(5);
        let observer = || QueryObserver::new(None, Duration::from_secs(1));
        let turn = writers.turn(false, deadline).await.expect("a turn");
        turn.write(|c| c.batch_execute("CREATE TABLE t (x INTEGER UNIQUE)"))
            .await
            .expect("a table");

        let (batch, mut answers): (Vec<_>, Vec<_>) = [1, 1, 2]
            .map(|x| queued(insert(x), deadline, observer()))
            .into_iter()
            .unzip();
        writers.run(batch);
        let mut answer = move || answers.remove(0).try_recv().expect("an answer");
        assert_eq!(answer(), Ok(1));
        let refused = answer();
        assert!(
            refused.is_err(),
            "the second 1 breaks the unique index: {refused:?}"
        );
        assert_eq!(answer(), Ok(1));

        let turn = writers.turn(false, deadline).await.expect("a turn");
        let rows = turn
            .write(|c| {
                let count = diesel::sql_query("SELECT count(*) AS n FROM t");
                diesel::RunQueryDsl::get_result::<Count>(count, c)
            })
            .await
            .expect("a count");
        assert_eq!(rows.n, 2);
    }

    /// A write whose deadline passed while it was queued is not run.
    #[rocket::async_test]
    async fn a_write_past_its_deadline_is_not_run() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("t.db").display().to_string();
        let writers = Writers::new(path, String::new(), Duration::from_secs(1));
        let (late, mut answer) = queued(
            |c: &mut SqliteConnection| c.batch_execute("CREATE TABLE t (x INTEGER)"),
            Instant::now(),
            QueryObserver::new(None, Duration::from_secs(1)),
        );
        writers.run(vec![late]);
        let result = answer.try_recv().expect("an answer");
        assert!(
            matches!(&result, Err(e) if DeadlinePassed::is(e)),
            "{result:?}"
        );
    }
}
