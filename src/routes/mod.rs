//! Everything the app serves, mounted in one place: the people pages, the trash (`trash`,
//! with its purge, `trash_purge`), their CSV export and
//! import (`people_csv`), `/robots.txt`, `/health`, the JSON API (from `api`), the embedded
//! static files, the error pages, and what every response gets on its way out: security
//! headers, the pages' cache policy, `Secure` cookies behind an HTTPS proxy, bodies sent in
//! one piece. Handlers here are thin: parse at the edge, call a model, pick a view. Every
//! route is mounted `observed`, so that its queries count against its request.

mod accept_encoding;
mod allowed_methods;
mod assets;
mod cache_policy;
mod catchers;
mod health;
mod people;
mod people_csv;
mod robots;
mod secure_cookies;
mod security_headers;
mod trash;
mod trash_purge;
mod whole_bodies;

use rocket::fairing::AdHoc;

use crate::api::{self, ApiError};
use crate::error::AppError;
use crate::forms::BodyTimeout;
use crate::models::KeyLifetime;
use crate::settings::PublicOrigins;
use crate::telemetry::observed;

/// `idempotency_key_hours`: how long creation keys (the forms' and the API's) are remembered.
/// Says once, at launch, when searches will read every row: a PostgreSQL server on which
/// the migration could not install `pg_trgm` (see `migrations/postgres/*_search_index`).
fn search_index_warning() -> AdHoc {
    AdHoc::on_liftoff("Search index", |rocket| {
        Box::pin(async move {
            use rocket_db_pools::Database;

            let Some(db) = crate::db::Db::fetch(rocket) else {
                return;
            };
            let Ok(mut conn) = db.connect().await else {
                return;
            };
            if let Ok(false) = crate::models::Person::search_is_indexed(&mut conn).await {
                rocket::warn!(
                    "people: PostgreSQL has no trigram index on person.name_key (pg_trgm was \
                     not available to the migration): searches of 3 or more characters read \
                     every row and are slow on large lists. Once pg_trgm is available, run: {}",
                    crate::models::list::TRIGRAM_INDEX_SQL
                );
            }
        })
    })
}

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

/// `body_timeout`: how long a client may take to send a body. Read once here, so a bad value
/// stops the launch instead of every request.
fn body_timeout() -> AdHoc {
    AdHoc::try_on_ignite("Body timeout", |rocket| async {
        match BodyTimeout::from_figment(rocket.figment()) {
            Ok(timeout) => Ok(rocket.manage(timeout)),
            Err(reason) => {
                rocket::error!("people: cannot start: {reason}");
                Err(rocket)
            }
        }
    })
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Routes", |rocket| async {
        let public = rocket.state::<PublicOrigins>().cloned().unwrap_or_default();
        let https_only = public.https_only();
        let rocket = rocket
            .attach(security_headers::shield(
                https_only.then_some(public.hsts_max_age),
            ))
            .attach(cache_policy::PrivatePages)
            .attach(whole_bodies::WholeBodies);
        let rocket = if https_only {
            rocket.attach(secure_cookies::SecureCookies)
        } else {
            rocket
        };
        rocket
            .attach(key_lifetime())
            .attach(search_index_warning())
            .attach(body_timeout())
            .attach(trash_purge::stage())
            .manage(people::SharedLists::default())
            .mount("/", observed(people::routes()))
            .mount("/", observed(trash::routes()))
            .mount("/", observed(people_csv::routes()))
            .mount("/", observed(robots::routes()))
            .mount(
                "/",
                observed(allowed_methods::routes(2, AppError::MethodNotAllowed)),
            )
            .mount("/", observed(health::routes()))
            .mount("/api", observed(api::routes()))
            .mount(
                "/api",
                observed(allowed_methods::routes(1, ApiError::MethodNotAllowed)),
            )
            .mount("/", observed(assets::routes()))
            .register("/", catchers::all())
            .register("/api", api::catchers())
    })
}
