//! Rocket's own errors (unknown route, unreadable form, no database connection, ...) get the
//! same styled page as the handlers' errors. Under `/api` the API's catcher answers instead.

use rocket::http::Status;
use rocket::{Catcher, Request, catch, catchers};

use crate::views::ErrorPage;

#[catch(default)]
fn any_error(status: Status, request: &Request<'_>) -> (Status, ErrorPage) {
    (status, ErrorPage::for_request(status, request))
}

pub fn all() -> Vec<Catcher> {
    catchers![any_error]
}
