//! Integration tests: the real app through Rocket's local client, each test on a fresh
//! database of its own (SQLite always; PostgreSQL too when `PEOPLE_TEST_POSTGRES_URL` is set).
//! One test binary, so the app is linked once.

mod api;
mod assets;
mod bulk;
mod concurrency;
mod count;
mod crud;
mod design;
mod errors;
mod export;
mod forgery;
mod history;
mod hostile;
mod idempotency;
mod import;
mod integrity;
mod launch;
mod list;
mod methods;
mod metrics;
mod openapi;
mod properties;
mod proxy;
mod request_ids;
mod search;
mod shared_list;
mod sqlite_build;
mod trash;
mod validation;
