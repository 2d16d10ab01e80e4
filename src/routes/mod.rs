//! Everything the app serves, mounted in one place: the people pages, `/health`, the JSON
//! API (from `api`), static files, the error pages, and the security headers on every
//! response. Handlers here are thin: parse at the edge, call a model, pick a view.

mod allowed_methods;
mod catchers;
mod health;
mod people;
mod security_headers;

use std::path::PathBuf;

use rocket::fairing::AdHoc;
use rocket::fs::{FileServer, relative};

use crate::api::{self, ApiError};
use crate::error::AppError;
use crate::models::KeyLifetime;

/// `idempotency_key_hours`: how long creation keys (the forms' and the API's) are remembered.
fn key_lifetime() -> AdHoc {
    AdHoc::try_on_ignite("Creation keys", |rocket| async {
        let lifetime = match rocket
            .figment()
            .extract_inner::<u64>("idempotency_key_hours")
        {
            Ok(hours) => KeyLifetime::hours(hours),
            Err(e) if e.missing() => KeyLifetime::default(),
            Err(e) => {
                rocket::error!("idempotency_key_hours must be a whole number of hours: {e}");
                return Err(rocket);
            }
        };
        Ok(rocket.manage(lifetime))
    })
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Routes", |rocket| async {
        // `static_dir` lets a deployed binary find its stylesheet away from the source tree.
        let static_dir = rocket
            .figment()
            .extract_inner::<PathBuf>("static_dir")
            .unwrap_or_else(|_| PathBuf::from(relative!("static")));
        rocket
            .attach(security_headers::shield())
            .attach(key_lifetime())
            .mount("/", people::routes())
            .mount("/", allowed_methods::routes(2, AppError::MethodNotAllowed))
            .mount("/", health::routes())
            .mount("/api", api::routes())
            .mount(
                "/api",
                allowed_methods::routes(1, ApiError::MethodNotAllowed),
            )
            .mount("/static", FileServer::from(static_dir))
            .register("/", catchers::all())
            .register("/api", api::catchers())
    })
}
