//! Rocket's own errors (unknown route, unreadable form, no database connection, ...) get the
//! same styled page as the handlers' errors. Under `/api` the API's catcher answers instead.
//! A method Rocket cannot read, on a path that exists, is the 405 it means
//! (`http_methods::unknown_method`).

use rocket::http::Status;
use rocket::{Catcher, Request, catch, catchers};

use crate::error::AppError;
use crate::http_methods::{WithAllow, allow_list, unknown_method};
use crate::views::ErrorPage;

#[catch(default)]
fn any_error(
    status: Status,
    request: &Request<'_>,
) -> Result<(Status, ErrorPage), WithAllow<AppError>> {
    match unknown_method(status, request) {
        Some(methods) => Err(WithAllow::new(
            AppError::MethodNotAllowed(allow_list(&methods)),
            &methods,
        )),
        None => Ok((status, ErrorPage::for_request(status, request))),
    }
}

pub fn all() -> Vec<Catcher> {
    catchers![any_error]
}
