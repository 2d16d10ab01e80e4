//! PostgreSQL in production: TLS, outages, several instances of the real binary. Tests that
//! need a server of their own start one (`cluster`); tests that need the real binary start it
//! (`server`). Without PostgreSQL they say SKIPPED and pass, unless CI requires them.

// The app suite's harness, shared; this binary uses only part of it.
#[allow(dead_code, unused_imports)]
#[path = "../app/support/mod.rs"]
mod support;

use support::{TestPostgres, postgres};

mod cluster;
mod server;

mod crash;
mod instances;
mod outage;
mod tls;

pub use support::{encode_form, hidden_value};

/// A fresh database on the shared server (`PEOPLE_TEST_POSTGRES_URL`), or `None` if skipped.
pub async fn shared_postgres(test: &str) -> Option<TestPostgres> {
    TestPostgres::create(test).await
}
