//! People: list, create, show, edit and delete people through HTML forms and a JSON API, on
//! SQLite or PostgreSQL. `main.rs` only launches [`rocket()`]; tests build the same app with
//! [`build`] and a figment of their own.

pub mod api_error;
pub mod api_types;
pub mod csrf;
pub mod db;
pub mod error;
pub mod forms;
pub mod if_match;
pub mod list_params;
pub mod models;
pub mod person_name;
pub mod routes;
pub mod schema;
pub mod security;
pub mod views;

use rocket::figment::Figment;
use rocket::{Build, Rocket};

/// The app as configured by `Rocket.toml` and `ROCKET_*` variables.
pub fn rocket() -> Rocket<Build> {
    build(rocket::Config::figment())
}

pub fn build(figment: Figment) -> Rocket<Build> {
    rocket::custom(figment)
        .attach(security::shield())
        .attach(db::stage())
        .attach(routes::stage())
}
