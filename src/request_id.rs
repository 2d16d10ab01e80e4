//! The id that ties one request together across the proxy, the app's log lines, the
//! `X-Request-Id` response header and the error page a user may quote. A sane incoming id (a
//! proxy's or a client's) is kept so the same id follows the request through every hop;
//! anything else is replaced by a fresh one.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use rocket::Request;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    pub const HEADER: &'static str = "X-Request-Id";
    /// Long enough for any tracing format (UUIDs, W3C trace ids, AWS's `Root=...`), short
    /// enough that a client cannot bloat every log line with it.
    pub const MAX_LEN: usize = 200;

    /// The incoming id when it is sane: 1 to 200 visible ASCII characters. No spaces or
    /// control characters, so it can neither split a log line nor forge one.
    pub fn parse(incoming: &str) -> Option<Self> {
        let sane = (1..=Self::MAX_LEN).contains(&incoming.len())
            && incoming.bytes().all(|b| b.is_ascii_graphic());
        sane.then(|| Self(incoming.to_owned()))
    }

    /// A new id, unique without coordination between instances: a random prefix drawn once
    /// per process, then a counter. Cheaper than random bytes per request, and as unique.
    pub fn generate() -> Self {
        static PROCESS: OnceLock<u64> = OnceLock::new();
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let process = PROCESS.get_or_init(|| {
            let mut bytes = [0; 8];
            // Without OS randomness the time still separates one process from another.
            getrandom::fill(&mut bytes).map_or_else(|_| time_seed(), |()| u64::from_le_bytes(bytes))
        });
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        Self(format!("{process:016x}-{n:08x}"))
    }

    /// This request's id: read (or made) the first time it is asked for, then the same.
    pub fn of<'r>(request: &'r Request<'_>) -> &'r Self {
        request.local_cache(|| {
            request
                .headers()
                .get_one(Self::HEADER)
                .and_then(Self::parse)
                .unwrap_or_else(Self::generate)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn time_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::RequestId;

    #[test]
    fn sane_incoming_ids_are_kept() {
        for id in [
            "a",
            "3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b",
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
            &"x".repeat(200),
        ] {
            assert_eq!(RequestId::parse(id).map(|r| r.0), Some(id.to_owned()));
        }
    }

    #[test]
    fn insane_incoming_ids_are_refused() {
        for id in [
            "",
            &"x".repeat(201),
            "two words",
            "line\nbreak",
            "tab\there",
            "nul\0",
            "escape\x1b[31m",
            "zoë",
            "\u{202e}override",
        ] {
            assert_eq!(RequestId::parse(id), None, "{id:?}");
        }
    }

    #[test]
    fn generated_ids_are_unique_and_sane() {
        let ids: HashSet<String> = (0..10_000).map(|_| RequestId::generate().0).collect();
        assert_eq!(ids.len(), 10_000);
        for id in ids.iter().take(10) {
            assert!(RequestId::parse(id).is_some(), "{id}");
        }
    }
}
