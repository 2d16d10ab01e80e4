//! People: list, create, show, edit and delete people through HTML forms and a JSON API, on
//! SQLite or PostgreSQL. `main.rs` only launches [`rocket()`]; tests build the same app with
//! [`build`] and a figment of their own.
//!
//! Imports flow one way: `routes` → `api` / `views` → `models` / `forms` → `db`. The
//! `person_name` and `request_id` types and the generated `schema` sit below all of them;
//! `error` is the handlers' failure type; `telemetry` (logs, request ids, metrics) sits
//! beside `routes`, which mount their handlers through it. Only what the binary and the tests
//! use is public.

mod api;
pub mod db;
mod error;
mod forms;
pub mod models;
pub mod person_name;
pub mod request_id;
mod routes;
mod schema;
mod telemetry;
mod views;

use rocket::figment::Figment;
use rocket::{Build, Rocket};

/// The app as configured by `Rocket.toml` and `ROCKET_*` variables.
pub fn rocket() -> Rocket<Build> {
    build(rocket::Config::figment())
}

pub fn build(figment: Figment) -> Rocket<Build> {
    // Before `rocket::custom`, which installs Rocket's own logger if none is installed yet.
    telemetry::init_logging(&figment);
    rocket::custom(figment)
        .attach(telemetry::stage())
        .attach(db::stage())
        .attach(routes::stage())
}
