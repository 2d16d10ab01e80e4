//! Everything the app serves: the people pages, the JSON API, static files and error pages.

mod api;
mod catchers;
mod health;
mod people;

use std::path::PathBuf;

use rocket::fairing::AdHoc;
use rocket::fs::{FileServer, relative};

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Routes", |rocket| async {
        // `static_dir` lets a deployed binary find its stylesheet away from the source tree.
        let static_dir = rocket
            .figment()
            .extract_inner::<PathBuf>("static_dir")
            .unwrap_or_else(|_| PathBuf::from(relative!("static")));
        rocket
            .mount("/", people::routes())
            .mount("/", health::routes())
            .mount("/api", api::routes())
            .mount("/static", FileServer::from(static_dir))
            .register("/", catchers::all())
            .register("/api", catchers::api())
    })
}
