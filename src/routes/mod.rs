//! Everything the app serves, mounted in one place: the people pages, `/health`, the JSON
//! API (from `api`), the embedded static files, the error pages, and what every response
//! gets on its way out: security headers, the pages' cache policy, `Secure` cookies behind
//! an HTTPS proxy. Handlers here are thin: parse at the edge, call a model, pick a view. Every
//! route is mounted `observed`, so that its queries count against its request.

mod accept_encoding;
mod assets;
mod cache_policy;
mod catchers;
mod health;
mod malformed_ids;
mod people;
mod secure_cookies;
mod security_headers;

use rocket::fairing::AdHoc;

use crate::api::{self, ApiError};
use crate::error::AppError;
use crate::settings::PublicOrigins;
use crate::telemetry::observed;

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
            .mount("/", observed(people::routes()))
            .mount("/", observed(malformed_ids::routes(|| AppError::NotFound)))
            .mount("/", observed(health::routes()))
            .mount("/api", observed(api::routes()))
            .mount(
                "/api",
                observed(malformed_ids::routes(|| ApiError::NotFound)),
            )
            .mount("/", observed(assets::routes()))
            .register("/", catchers::all())
            .register("/api", api::catchers())
    })
}
