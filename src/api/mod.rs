//! The JSON API under `/api`, in one place: its routes (`people`, `trash` for the trash and
//! history, and `import` for CSV files), the JSON it reads and writes (`json`), its errors and their JSON bodies (`error`),
//! the `If-Match` precondition (`if_match`), safe retries of creates (`idempotency_key`), its
//! OpenAPI document (`openapi`) and the catcher that answers Rocket's own errors as JSON
//! (`catcher`). It uses
//! the same models, list and name rules as the pages.

mod catcher;
mod error;
mod idempotency_key;
mod if_match;
mod import;
mod json;
mod openapi;
mod people;
mod trash;

pub use error::ApiError;

use rocket::{Catcher, Route};

/// Mounted at `/api`.
pub fn routes() -> Vec<Route> {
    let mut routes = people::routes();
    routes.extend(trash::routes());
    routes.extend(openapi::routes());
    routes.extend(import::routes());
    routes
}

/// Registered at `/api`: Rocket picks the catcher with the longest matching base, so these
/// answer under `/api` and the pages' catchers everywhere else.
pub fn catchers() -> Vec<Catcher> {
    catcher::catchers()
}
