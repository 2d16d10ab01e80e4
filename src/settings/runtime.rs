//! The async runtime the server runs on, built from our figment. `#[rocket::main]` builds it
//! from Rocket's own figment, which has no built-in `Rocket.toml`: a binary run away from the
//! source tree got Rocket's 512 blocking threads instead of our `max_blocking`, and the
//! settings below could not be set at all.

use std::io;
use std::time::Duration;

use rocket::Config;
use rocket::figment::Figment;
use rocket::tokio::runtime::{Builder, Runtime};

/// How long an idle blocking thread waits for the next SQLite query before it exits.
/// Tokio's default is 10 s; at an hour, a server under load keeps the threads it has instead
/// of spawning new ones (each with a fresh stack) after every quiet spell.
pub const BLOCKING_KEEP_ALIVE: Duration = Duration::from_secs(3600);

/// What the runtime is built with, read from the same layers the app reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimeSettings {
    pub workers: usize,
    pub max_blocking: usize,
    /// `shutdown.force`: stop whatever is still running shortly after the server ends.
    pub force_end: bool,
}

impl RuntimeSettings {
    pub fn from_figment(figment: &Figment) -> Result<Self, Box<rocket::figment::Error>> {
        Ok(Self {
            workers: figment.extract_inner(Config::WORKERS)?,
            max_blocking: figment.extract_inner(Config::MAX_BLOCKING)?,
            force_end: figment.focus(Config::SHUTDOWN).extract_inner("force")?,
        })
    }

    pub fn build(&self) -> io::Result<Runtime> {
        Builder::new_multi_thread()
            .thread_name("rocket-worker-thread")
            .worker_threads(self.workers.max(1))
            .max_blocking_threads(self.max_blocking.max(1))
            .thread_keep_alive(BLOCKING_KEEP_ALIVE)
            .enable_all()
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_takes_its_threads_from_our_figment() {
        let built_in = RuntimeSettings::from_figment(&crate::settings::figment()).expect("ok");
        assert_eq!(built_in.max_blocking, 8, "Rocket.toml's, not Rocket's 512");
        let tuned = crate::settings::figment()
            .merge(("max_blocking", 3))
            .merge(("workers", 1));
        let tuned = RuntimeSettings::from_figment(&tuned).expect("ok");
        assert_eq!((tuned.workers, tuned.max_blocking), (1, 3));
        let runtime = tuned.build().expect("a runtime");
        let answer = runtime.block_on(async { rocket::tokio::task::spawn_blocking(|| 42).await });
        assert_eq!(answer.ok(), Some(42));
    }
}
