//! Everything the app serves, mounted in one place: the people pages, their CSV export and
//! import (`people_csv`), `/robots.txt`, `/health`, the JSON API (from `api`), static files,
//! the error pages, and the security headers on every response. Handlers here are thin:
//! parse at the edge, call a model, pick a view.

mod catchers;
mod health;
mod malformed_ids;
mod people;
mod people_csv;
mod robots;
mod security_headers;

use std::path::PathBuf;

use rocket::fairing::AdHoc;
use rocket::fs::{FileServer, relative};

use crate::api::{self, ApiError};
use crate::error::AppError;

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Routes", |rocket| async {
        // `static_dir` lets a deployed binary find its stylesheet away from the source tree.
        let static_dir = rocket
            .figment()
            .extract_inner::<PathBuf>("static_dir")
            .unwrap_or_else(|_| PathBuf::from(relative!("static")));
        rocket
            .attach(security_headers::shield())
            .mount("/", people::routes())
            .mount("/", people_csv::routes())
            .mount("/", robots::routes())
            .mount("/", malformed_ids::routes(|| AppError::NotFound))
            .mount("/", health::routes())
            .mount("/api", api::routes())
            .mount("/api", malformed_ids::routes(|| ApiError::NotFound))
            .mount("/static", FileServer::from(static_dir))
            .register("/", catchers::all())
            .register("/api", api::catchers())
    })
}
