//! Rocket's own errors under `/api` (no route, unreadable body, no database connection, ...)
//! answered as JSON like the handlers' errors: `{"error": "not found"}`.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Catcher, Request, catch, catchers};

use super::error::{ErrorJson, error};

#[catch(default)]
fn json_error(status: Status, _request: &Request<'_>) -> (Status, Json<ErrorJson>) {
    error(status, None)
}

pub(super) fn catchers() -> Vec<Catcher> {
    catchers![json_error]
}
