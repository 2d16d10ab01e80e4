use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Catcher, Request, catch, catchers};

use crate::api_error;
use crate::api_types::ErrorJson;
use crate::views::ErrorPage;

/// Rocket's own errors (unknown route, unreadable form, no database connection, ...) get
/// the same styled page as the handlers' errors.
#[catch(default)]
fn any_error(status: Status, _request: &Request<'_>) -> (Status, ErrorPage) {
    (status, ErrorPage::for_status(status))
}

/// The same errors under `/api`, where clients read JSON: `{"error": "not found"}`.
#[catch(default)]
fn json_error(status: Status, _request: &Request<'_>) -> (Status, Json<ErrorJson>) {
    api_error::error(status, None)
}

pub fn all() -> Vec<Catcher> {
    catchers![any_error]
}

/// Registered at `/api`: Rocket picks the catcher with the longest matching base.
pub fn api() -> Vec<Catcher> {
    catchers![json_error]
}
