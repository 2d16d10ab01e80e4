//! Rocket's own errors under `/api` (no route, unreadable body, no database connection, ...)
//! answered as JSON like the handlers' errors: `{"error": "not found"}`. A method Rocket
//! cannot read, on a path the API has, is the 405 it means (`http_methods::unknown_method`).

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Catcher, Request, catch, catchers};

use super::error::{ApiError, ErrorJson, error};
use crate::http_methods::{WithAllow, allow_list, unknown_method};

#[catch(default)]
fn json_error(
    status: Status,
    request: &Request<'_>,
) -> Result<(Status, Json<ErrorJson>), WithAllow<ApiError>> {
    match unknown_method(status, request) {
        Some(methods) => Err(WithAllow::new(
            ApiError::MethodNotAllowed(allow_list(&methods)),
            &methods,
        )),
        None => Ok(error(status, None)),
    }
}

pub(super) fn catchers() -> Vec<Catcher> {
    catchers![json_error]
}
