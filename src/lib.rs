//! People: list, create, show, edit and delete people through HTML forms and a JSON API, on
//! SQLite or PostgreSQL. `main.rs` only parses the command line and runs a `cli` command;
//! serving launches [`rocket()`], and tests build the same app with [`build`] and a figment
//! of their own (usually [`settings::figment`] with a few values merged in).
//!
//! Imports flow one way: `routes` → `api` / `views` → `models` / `forms` → `db`. The
//! `person_name` domain type, `csv_file` (people as CSV, both ways), `numbers`, the generated
//! `schema` and the `settings` sit below all of them; `error` is the handlers' failure type.
//! Only what the binary and the tests use is public.

mod api;
mod assets;
pub mod cli;
mod csv_file;
pub mod db;
mod error;
mod forms;
pub mod models;
mod numbers;
pub mod person_name;
mod routes;
mod schema;
pub mod settings;
mod views;

use rocket::figment::Figment;
use rocket::{Build, Rocket};

/// The app as configured by the built-in defaults, `Rocket.toml` and `ROCKET_*` variables.
pub fn rocket() -> Rocket<Build> {
    build(settings::figment())
}

pub fn build(figment: Figment) -> Rocket<Build> {
    rocket::custom(figment)
        .attach(settings::stage())
        .attach(db::stage())
        .attach(routes::stage())
}
