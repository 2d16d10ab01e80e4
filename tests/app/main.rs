//! Integration tests: the real app through Rocket's local client, each test on a fresh
//! database of its own (SQLite always; PostgreSQL too when `PEOPLE_TEST_POSTGRES_URL` is set).
//! One test binary, so the app is linked once.

mod api;
mod assets;
mod concurrency;
mod crud;
mod errors;
mod forgery;
mod integrity;
mod launch;
mod list;
mod metrics;
mod properties;
mod proxy;
mod request_ids;
mod validation;
