//! Free local ports, for the processes the tests start.

use std::net::TcpListener;

/// A port nothing listens on right now. Another process could take it before the child
/// binds it; the child then fails to start, loudly, rather than a test passing wrongly.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or_else(|e| panic!("find a free port: {e}"))
}
