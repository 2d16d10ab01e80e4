//! PostgreSQL in production: TLS, outages, several instances of the real binary. Tests that
//! need a server of their own start one (`cluster`); tests that need the real binary start it
//! (`people_test_harness::AppProcess`). Without PostgreSQL they say SKIPPED and pass, unless
//! CI requires them.

mod cluster;

mod crash;
mod instances;
mod load;
mod nginx;
mod outage;
mod standalone;
mod tls;

/// The binary under test: only a test target is told where cargo built it.
const PEOPLE: &str = env!("CARGO_BIN_EXE_people");
