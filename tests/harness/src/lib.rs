//! What the three test suites (`tests/app`, `tests/production`, `tests/browser`) share, in one
//! place: the app under Rocket's local client, the real binary as a process, free ports, a
//! PostgreSQL database per test, the one SKIPPED notice, and form bodies (URL-encoded, and
//! multipart for the import).
//!
//! Why a crate of its own: each suite is its own test binary, and code shared between them by
//! `#[path]` is compiled into each, where whatever one suite does not call is "dead code". A
//! library is compiled once and its `pub` items are never dead in a binary that links it. It
//! depends on `people` by path (a dev-dependency may), so the local client can build the real
//! app; the suites reach it as `people_test_harness`.
//!
//! What only one suite needs stays there: the browser driver in `tests/browser/support/`, the
//! PostgreSQL servers of the tests' own in `tests/production/cluster.rs`.

mod api;
mod app;
mod binary;
mod form;
mod http;
mod page;
mod ports;
mod postgres;
mod process;
mod skip;
mod upload;

pub use api::ApiResponse;
pub use app::{TestApp, TestDatabase, figment};
pub use binary::{AppProcess, SECRET_KEY};
pub use form::{encode_form, hidden_value, percent_encode};
pub use http::{Response, request};
pub use page::Page;
pub use ports::free_port;
pub use postgres::{POSTGRES, TestPostgres};
pub use process::Process;
pub use skip::Prerequisite;
pub use upload::{Part, encode_multipart};

/// Generates, for each named `async fn(TestApp)` in the calling module, one test per backend:
/// `sqlite::NAME` and `postgres::NAME`. The PostgreSQL ones run when
/// `PEOPLE_TEST_POSTGRES_URL` names a server, and say that they were skipped otherwise.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[rocket::async_test]
                async fn $name() {
                    super::$name($crate::TestApp::sqlite().await).await
                }
            )+
        }
        mod postgres {
            $(
                #[rocket::async_test]
                async fn $name() {
                    let test = concat!(module_path!(), "::", stringify!($name));
                    if let Some(app) = $crate::TestApp::postgres(test).await {
                        super::$name(app).await
                    }
                }
            )+
        }
    };
}
