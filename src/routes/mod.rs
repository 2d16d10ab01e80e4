//! Everything the app serves, mounted in one place: the people pages, their CSV export and
//! import (`people_csv`), `/robots.txt`, `/health`, the JSON API (from `api`), the embedded
//! static files, the error pages, and what every response gets on its way out: security
//! headers, the pages' cache policy, `Secure` cookies behind an HTTPS proxy. Handlers here
//! are thin: parse at the edge, call a model, pick a view.

mod accept_encoding;
mod assets;
mod cache_policy;
mod catchers;
mod health;
mod malformed_ids;
mod people;
mod people_csv;
mod robots;
mod secure_cookies;
mod security_headers;

use rocket::fairing::AdHoc;

use crate::api::{self, ApiError};
use crate::error::AppError;
use crate::settings::PublicOrigins;

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Routes", |rocket| async {
        let public = rocket.state::<PublicOrigins>().cloned().unwrap_or_default();
        let https_only = public.https_only();
        let rocket = rocket
            .attach(security_headers::shield(
                https_only.then_some(public.hsts_max_age),
            ))
            .attach(cache_policy::PrivatePages);
        let rocket = if https_only {
            rocket.attach(secure_cookies::SecureCookies)
        } else {
            rocket
        };
        rocket
            .mount("/", people::routes())
            .mount("/", people_csv::routes())
            .mount("/", robots::routes())
            .mount("/", malformed_ids::routes(|| AppError::NotFound))
            .mount("/", health::routes())
            .mount("/api", api::routes())
            .mount("/api", malformed_ids::routes(|| ApiError::NotFound))
            .mount("/", assets::routes())
            .register("/", catchers::all())
            .register("/api", api::catchers())
    })
}
