//! An id that is not an `i32` (`/people/abc`, `/people/99999999999`) makes Rocket forward the
//! request with 422. These routes, ranked after every real one, catch what was forwarded so
//! that a malformed id is the 404 it means: there is no such person. A method the path does
//! not have at all is forwarded on, to be the 405 it is (`allowed_methods`). Built once for
//! any answer, so the pages and the API each get them with their own error type.

use rocket::Request;
use rocket::data::Data;
use rocket::http::{Method, Status};
use rocket::response::Responder;
use rocket::route::{Handler, Outcome, Route};

use crate::http_methods::{self, FALLBACK_RANK};

/// After the real routes under the same path (their default ranks are far lower).
const RANK: isize = FALLBACK_RANK;

pub const ROUTE_NAME: &str = "malformed_id";

struct Answer<R>(fn() -> R);

// Derived `Clone` would ask `R: Clone`; a function pointer is `Copy` whatever it returns.
impl<R> Clone for Answer<R> {
    fn clone(&self) -> Self {
        Self(self.0)
    }
}

#[rocket::async_trait]
impl<R> Handler for Answer<R>
where
    R: for<'r> Responder<'r, 'static> + Send + 'static,
{
    async fn handle<'r>(&self, request: &'r Request<'_>, data: Data<'r>) -> Outcome<'r> {
        if !http_methods::allowed(request).contains(&request.method()) {
            return Outcome::forward(data, Status::MethodNotAllowed);
        }
        Outcome::from(request, (self.0)())
    }
}

/// `GET`, `POST`, `PUT` and `DELETE` on `/people/<anything>/...`, each answering `answer()`.
pub fn routes<R>(answer: fn() -> R) -> Vec<Route>
where
    R: for<'r> Responder<'r, 'static> + Send + 'static,
{
    [Method::Get, Method::Post, Method::Put, Method::Delete]
        .into_iter()
        .map(|method| {
            let mut route = Route::ranked(RANK, method, "/people/<_>/<_..>", Answer(answer));
            route.name = Some(ROUTE_NAME.into());
            route
        })
        .collect()
}
