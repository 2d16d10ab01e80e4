//! People: list, create, show, edit and delete people through HTML forms and a JSON API, on
//! SQLite or PostgreSQL. `main.rs` only parses the command line and runs a `cli` command;
//! serving launches [`rocket()`], and tests build the same app with [`build`] and a figment
//! of their own (usually [`settings::figment`] with a few values merged in).
//!
//! Imports flow one way: `routes` → `api` / `views` → `models` / `forms` → `db`. The
//! `person_name` and `request_id` types, `csv_file` (people as CSV, both ways), `numbers`,
//! the generated `schema` and the `settings` sit below all of them; `error` is the handlers'
//! failure type; `telemetry` (logs, request ids, metrics) sits beside `routes`, which mount
//! their handlers through it. Only what the binary and the tests use is public.

mod api;
mod assets;
pub mod cli;
mod csv_file;
pub mod db;
mod error;
mod forms;
mod http_methods;
pub mod models;
mod numbers;
pub mod person_name;
pub mod request_id;
mod routes;
mod schema;
pub mod settings;
mod telemetry;
mod views;

use rocket::figment::Figment;
use rocket::{Build, Rocket};

/// The app as configured by the built-in defaults, `Rocket.toml` and `ROCKET_*` variables.
pub fn rocket() -> Rocket<Build> {
    build(settings::figment())
}

pub fn build(figment: Figment) -> Rocket<Build> {
    // Before `rocket::custom`, which installs Rocket's own logger if none is installed yet.
    telemetry::init_logging(&figment);
    rocket::custom(figment)
        .attach(settings::stage())
        .attach(telemetry::stage())
        .attach(db::stage(models::DATA_MIGRATIONS))
        .attach(routes::stage())
}
