//! People: list, create, show, edit and delete people through HTML forms and a JSON API, on
//! SQLite or PostgreSQL. `main.rs` only launches [`rocket()`]; tests build the same app with
//! [`build`] and a figment of their own.
//!
//! Imports flow one way: `routes` → `api` / `views` → `models` / `forms` → `db`. The
//! `person_name` domain type, `csv_file` (people as CSV, both ways), `numbers` and the
//! generated `schema` sit below all of them; `error` is the handlers' failure type. Only what the binary and the tests use is public.

mod api;
mod csv_file;
pub mod db;
mod error;
mod forms;
pub mod models;
mod numbers;
pub mod person_name;
mod routes;
mod schema;
mod views;

use rocket::figment::Figment;
use rocket::{Build, Rocket};

/// The app as configured by `Rocket.toml` and `ROCKET_*` variables.
pub fn rocket() -> Rocket<Build> {
    build(rocket::Config::figment())
}

pub fn build(figment: Figment) -> Rocket<Build> {
    rocket::custom(figment)
        .attach(db::stage())
        .attach(routes::stage())
}
