//! Reads that many requests ask for at the same moment, made once for all of them.
//!
//! Sixty-four browsers opening the list at once used to send sixty-four identical queries,
//! each its own trip to the database; on PostgreSQL that round trip was most of what the
//! page cost. Here the requests for one key wait together and one read answers them all.
//!
//! Sharing never serves anything older than a request: a request joins only a read that has
//! not started yet, so whatever committed before the request arrived (in this instance or
//! any other) is in the answer, as it would be in a read of its own.
//!
//! Up to [`READS_AT_ONCE`] reads of one key run at once; a request that arrives while that
//! many run waits for the first of them to end, and then the requests gathered meanwhile
//! share the next read. So a hot key (everyone opening the first page) costs a couple of
//! reads at a time whatever the number of requests, and two requests that happen to meet on
//! a key (two readers on page 7) each read at once, as they would without sharing, instead
//! of one waiting for the other's read to end before its own starts.
//!
//! Each read runs in the task of one of the requests it answers: no task of its own, no hop
//! between threads, so a request that shares nothing costs what it did before sharing (a
//! lock and a map entry more). When a read ends, its request hands the key on (the
//! [`Baton`]) to the first of those that gathered meanwhile, who reads for them all. Should a
//! reader go before answering (its client hung up, its read panicked), its followers are
//! handed on the same way, so nobody waits for a read that will not come.

use std::collections::HashMap;
use std::hash::Hash;
use std::mem;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rocket::tokio::sync::oneshot;
use rocket::tokio::time::timeout;

/// What a shared read gives each request waiting for it.
pub type Shared<V, E> = Result<Arc<V>, SharedFailure<E>>;

/// Why a shared read gave no value.
#[derive(Debug, thiserror::Error)]
pub enum SharedFailure<E> {
    /// The read failed; every request that shared it hears the same error.
    #[error(transparent)]
    Failed(Arc<E>),
    /// The request was left without an answer or a turn: a bug here (a baton always passes
    /// on when dropped).
    #[error(transparent)]
    Lost(ReadLost),
    /// No answer came within the request's patience: the read before this request's, and then
    /// the one it waited for, took longer than a read of its own may.
    #[error("no answer from the shared read in {0:?}")]
    OutOfTime(Duration),
}

/// A request waiting for a shared read was left without an answer or a turn to read.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the read shared with other requests ended without an answer")]
pub struct ReadLost;

/// How many reads of one key may run at once before requests for it wait to share one.
pub const READS_AT_ONCE: usize = 2;

/// Each key being read: a key is here exactly while some request holds one of its batons.
type Waiting<K, V, E> = Arc<Mutex<HashMap<K, Reading<K, V, E>>>>;

/// One key's reads.
struct Reading<K: Hash + Eq + Clone, V, E> {
    /// Its batons: the reads running, and those being handed on.
    batons: usize,
    /// The requests that arrived while `READS_AT_ONCE` reads ran, for the next read.
    gathered: Vec<Waiter<K, V, E>>,
}

type Waiter<K, V, E> = oneshot::Sender<Turn<K, V, E>>;

/// What a waiting request hears: the answer, or that it reads for the others now.
enum Turn<K: Hash + Eq + Clone, V, E> {
    Answer(Shared<V, E>),
    Read(Baton<K, V, E>),
}

/// The reads of one kind, shared between the requests that ask for the same key at once.
pub struct SharedReads<K: Hash + Eq + Clone, V, E> {
    waiting: Waiting<K, V, E>,
}

impl<K: Hash + Eq + Clone, V, E> Default for SharedReads<K, V, E> {
    fn default() -> Self {
        Self {
            waiting: Arc::default(),
        }
    }
}

impl<K, V, E> SharedReads<K, V, E>
where
    K: Hash + Eq + Clone,
{
    /// The value for `key`, from a read that starts after this call: with other requests
    /// for `key` when there are some. `read` runs here when this request is the one to read;
    /// waiting for another's read lasts at most `patience`.
    pub async fn get<F>(&self, key: K, patience: Duration, read: F) -> Shared<V, E>
    where
        F: AsyncFnOnce(&K) -> Result<V, E>,
    {
        let heard = {
            let mut waiting = lock(&self.waiting);
            match waiting.get_mut(&key) {
                Some(reading) if reading.batons >= READS_AT_ONCE => {
                    let (waiter, heard) = oneshot::channel();
                    reading.gathered.push(waiter);
                    Some(heard)
                }
                Some(reading) => {
                    reading.batons += 1;
                    None
                }
                None => {
                    let reading = Reading {
                        batons: 1,
                        gathered: Vec::new(),
                    };
                    waiting.insert(key.clone(), reading);
                    None
                }
            }
        };
        let baton = match heard {
            None => Baton {
                waiting: Arc::clone(&self.waiting),
                key,
                followers: Vec::new(),
            },
            Some(heard) => match timeout(patience, heard).await {
                Ok(Ok(Turn::Answer(answer))) => return answer,
                Ok(Ok(Turn::Read(baton))) => baton,
                Ok(Err(_)) => return Err(SharedFailure::Lost(ReadLost)),
                Err(_) => return Err(SharedFailure::OutOfTime(patience)),
            },
        };
        baton.read(read).await
    }

    /// How many keys are being read now (for the tests).
    #[cfg(test)]
    fn reading(&self) -> usize {
        lock(&self.waiting).len()
    }

    /// How many requests wait to share the next read of `key` (for the tests).
    #[cfg(test)]
    fn gathered(&self, key: &K) -> usize {
        lock(&self.waiting)
            .get(key)
            .map_or(0, |reading| reading.gathered.len())
    }
}

/// A turn to read one key, for this request and the `followers` that gathered while the
/// reads before it ran. Dropped, it passes the key on to the first request still waiting, with
/// the others (its own followers first, if it never answered them), or frees the key.
struct Baton<K: Hash + Eq + Clone, V, E> {
    waiting: Waiting<K, V, E>,
    key: K,
    followers: Vec<Waiter<K, V, E>>,
}

impl<K: Hash + Eq + Clone, V, E> Baton<K, V, E> {
    async fn read<F>(mut self, read: F) -> Shared<V, E>
    where
        F: AsyncFnOnce(&K) -> Result<V, E>,
    {
        let shared = read(&self.key).await.map(Arc::new).map_err(Arc::new);
        for follower in mem::take(&mut self.followers) {
            // A request that has gone (its client hung up) needs no answer.
            let _ = follower.send(Turn::Answer(answer(&shared)));
        }
        answer(&shared)
    }
}

fn answer<V, E>(shared: &Result<Arc<V>, Arc<E>>) -> Shared<V, E> {
    match shared {
        Ok(value) => Ok(Arc::clone(value)),
        Err(error) => Err(SharedFailure::Failed(Arc::clone(error))),
    }
}

impl<K: Hash + Eq + Clone, V, E> Drop for Baton<K, V, E> {
    fn drop(&mut self) {
        let mut next = mem::take(&mut self.followers);
        let reader = {
            let mut waiting = lock(&self.waiting);
            let Some(reading) = waiting.get_mut(&self.key) else {
                return;
            };
            next.append(&mut reading.gathered);
            next.retain(|waiter| !waiter.is_closed());
            if next.is_empty() {
                reading.batons -= 1;
                if reading.batons == 0 {
                    waiting.remove(&self.key);
                }
                return;
            }
            next.remove(0)
        };
        // The key stays taken until the new reader's baton drops in turn. Sent outside the
        // lock: a reader that has gone meanwhile gives the baton back, and it passes on again.
        let baton = Baton {
            waiting: Arc::clone(&self.waiting),
            key: self.key.clone(),
            followers: next,
        };
        let _ = reader.send(Turn::Read(baton));
    }
}

/// The map stays consistent under a panic (every change to it is one call), so a poisoned
/// lock is used as it is.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use rocket::tokio::sync::Notify;
    use rocket::tokio::task::JoinHandle;
    use rocket::tokio::{self, time::timeout};

    use super::*;

    type Reads = SharedReads<u32, usize, String>;
    /// The key most tests share.
    const EVERYONE: u32 = 0;
    const PATIENCE: Duration = Duration::from_secs(5);
    type Reading = std::pin::Pin<Box<dyn Future<Output = Result<usize, String>> + Send>>;
    /// A request on a task of its own, and what it was answered.
    type Request = JoinHandle<Result<usize, String>>;

    /// Numbers the reads in the order they start; read `n` answers `n` once released.
    #[derive(Default)]
    struct Script {
        started: AtomicUsize,
        gates: Mutex<HashMap<usize, Arc<Notify>>>,
    }

    impl Script {
        fn gate(&self, n: usize) -> Arc<Notify> {
            Arc::clone(lock(&self.gates).entry(n).or_default())
        }

        fn release(&self, n: usize) {
            self.gate(n).notify_one();
        }

        fn started(&self) -> usize {
            self.started.load(Ordering::SeqCst)
        }

        /// A read that takes the next number and waits for its release; `fails` turns its
        /// number into an error, and `panics` makes the read panic with that number.
        fn read(
            self: &Arc<Self>,
            fails: Option<usize>,
            panics: Option<usize>,
        ) -> impl FnOnce(&u32) -> Reading + Send + 'static {
            let reads = Arc::clone(self);
            move |_| {
                let n = reads.started.fetch_add(1, Ordering::SeqCst) + 1;
                let gate = reads.gate(n);
                Box::pin(async move {
                    gate.notified().await;
                    assert_ne!(Some(n), panics, "a bug in read {n}");
                    if Some(n) == fails {
                        Err("down".to_owned())
                    } else {
                        Ok(n)
                    }
                })
            }
        }
    }

    /// A request for `EVERYONE`, on a task of its own.
    fn request(
        shared: &Arc<Reads>,
        read: impl FnOnce(&u32) -> Reading + Send + 'static,
    ) -> Request {
        let shared = Arc::clone(shared);
        tokio::spawn(async move {
            let answer = shared
                .get(EVERYONE, PATIENCE, async move |key| read(key).await)
                .await;
            answer.map(|v| *v).map_err(|e| e.to_string())
        })
    }

    async fn until(condition: impl Fn() -> bool) {
        timeout(Duration::from_secs(5), async {
            while !condition() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
        .await
        .expect("the condition held within 5 s");
    }

    /// `READS_AT_ONCE` requests, each reading for itself, all still reading.
    async fn fill(shared: &Arc<Reads>, script: &Arc<Script>) -> Vec<Request> {
        let mut readers = Vec::new();
        for n in 1..=READS_AT_ONCE {
            readers.push(request(shared, script.read(None, None)));
            until(|| script.started() == n).await;
        }
        readers
    }

    /// Two requests gathered, in this order, while `fill`'s reads run: the first will read
    /// for both (its read panicking at `panics`), the second follow it.
    async fn gather_two(
        shared: &Arc<Reads>,
        script: &Arc<Script>,
        panics: Option<usize>,
    ) -> (Request, Request) {
        let first = request(shared, script.read(None, panics));
        until(|| shared.gathered(&EVERYONE) == 1).await;
        let second = request(shared, script.read(None, panics));
        until(|| shared.gathered(&EVERYONE) == 2).await;
        (first, second)
    }

    /// Ends `fill`'s reads (the first already released), and sees the key freed.
    async fn finish(shared: &Reads, script: &Script, readers: Vec<Request>) {
        for n in 2..=READS_AT_ONCE {
            script.release(n);
        }
        for reader in readers {
            assert!(answer(reader).await.is_ok());
        }
        until(|| shared.reading() == 0).await;
    }

    async fn answer(request: Request) -> Result<usize, String> {
        request.await.expect("the request ended without panicking")
    }

    #[tokio::test]
    async fn requests_that_arrive_during_reads_share_the_next_one_not_those() {
        let (shared, script) = (Arc::new(Reads::default()), Arc::new(Script::default()));
        // Requests that meet on a key read at once, each for itself, up to READS_AT_ONCE.
        let readers = fill(&shared, &script).await;
        let late: Vec<_> = (0..3)
            .map(|_| request(&shared, script.read(None, None)))
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(script.started(), READS_AT_ONCE, "the others wait to share");
        script.release(READS_AT_ONCE);
        let next = READS_AT_ONCE + 1;
        until(|| script.started() == next).await;
        script.release(next);
        for request in late {
            assert_eq!(
                answer(request).await,
                Ok(next),
                "one read after their arrival"
            );
        }
        for n in 1..READS_AT_ONCE {
            script.release(n);
        }
        for (n, reader) in (1..).zip(readers) {
            assert_eq!(answer(reader).await, Ok(n));
        }
        assert_eq!(script.started(), next, "one read for the three");
        until(|| shared.reading() == 0).await;
    }

    #[tokio::test]
    async fn a_failed_read_fails_everyone_who_shared_it_and_the_next_read_is_fresh() {
        let (shared, script) = (Arc::new(Reads::default()), Arc::new(Script::default()));
        let readers = fill(&shared, &script).await;
        let failing = READS_AT_ONCE + 1;
        let sharing = [
            request(&shared, script.read(Some(failing), None)),
            request(&shared, script.read(Some(failing), None)),
        ];
        tokio::time::sleep(Duration::from_millis(10)).await;
        for n in 1..=READS_AT_ONCE {
            script.release(n);
        }
        until(|| script.started() == failing).await;
        script.release(failing);
        for request in sharing {
            assert_eq!(answer(request).await, Err("down".to_owned()));
        }
        for reader in readers {
            assert!(answer(reader).await.is_ok());
        }
        let again = request(&shared, script.read(Some(failing), None));
        until(|| script.started() == failing + 1).await;
        script.release(failing + 1);
        assert_eq!(answer(again).await, Ok(failing + 1));
    }

    #[tokio::test]
    async fn a_reader_that_hangs_up_hands_its_followers_a_read_of_their_own() {
        let (shared, script) = (Arc::new(Reads::default()), Arc::new(Script::default()));
        let readers = fill(&shared, &script).await;
        let (leaving, staying) = gather_two(&shared, &script, None).await;
        script.release(1);
        until(|| script.started() == READS_AT_ONCE + 1).await;
        leaving.abort();
        let own = READS_AT_ONCE + 2;
        until(|| script.started() == own).await;
        script.release(own);
        assert_eq!(answer(staying).await, Ok(own));
        finish(&shared, &script, readers).await;
    }

    #[tokio::test]
    async fn a_request_waits_no_longer_than_its_patience() {
        let shared = Arc::new(Reads::default());
        let never = || |_: &u32| Box::pin(std::future::pending()) as Reading;
        let stuck: Vec<_> = (0..READS_AT_ONCE)
            .map(|_| request(&shared, never()))
            .collect();
        until(|| shared.reading() == 1).await;
        let patience = Duration::from_millis(30);
        let reading = never();
        let gave_up = shared
            .get(EVERYONE, patience, async move |key| reading(key).await)
            .await;
        assert!(
            matches!(gave_up, Err(SharedFailure::OutOfTime(p)) if p == patience),
            "{gave_up:?}"
        );
        stuck.iter().for_each(JoinHandle::abort);
    }

    #[tokio::test]
    async fn different_keys_are_read_apart() {
        let shared = Reads::default();
        let (a, b) = tokio::join!(
            shared.get(1, PATIENCE, async |_: &u32| Ok(1)),
            shared.get(2, PATIENCE, async |_: &u32| Ok(2))
        );
        assert_eq!((a.ok().map(|v| *v), b.ok().map(|v| *v)), (Some(1), Some(2)));
    }

    #[tokio::test]
    async fn a_read_that_panics_hands_its_followers_a_read_of_their_own() {
        let (shared, script) = (Arc::new(Reads::default()), Arc::new(Script::default()));
        let readers = fill(&shared, &script).await;
        let buggy = READS_AT_ONCE + 1;
        let (panicking, following) = gather_two(&shared, &script, Some(buggy)).await;
        script.release(1);
        until(|| script.started() == buggy).await;
        script.release(buggy);
        assert!(panicking.await.is_err(), "the panic ends its own request");
        until(|| script.started() == buggy + 1).await;
        script.release(buggy + 1);
        assert_eq!(answer(following).await, Ok(buggy + 1));
        finish(&shared, &script, readers).await;
    }

    #[tokio::test]
    async fn a_key_is_free_again_once_nobody_waits() {
        let shared = Reads::default();
        for n in 1..=3 {
            let value = shared
                .get(EVERYONE, PATIENCE, async move |_: &u32| Ok(n))
                .await;
            assert_eq!(value.ok().map(|v| *v), Some(n), "a fresh read each time");
            assert_eq!(shared.reading(), 0);
        }
    }
}
