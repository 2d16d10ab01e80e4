//! An id that is not an `i32` (`/people/abc`, `/people/99999999999`) makes Rocket forward the
//! request with 422. These routes, ranked after every real one, catch what was forwarded so
//! that a malformed id is the 404 it means: there is no such person. Built once for any
//! answer, so the pages and the API each get them with their own error type.

use rocket::Request;
use rocket::data::Data;
use rocket::http::Method;
use rocket::response::Responder;
use rocket::route::{Handler, Outcome, Route};

/// After the real routes under the same path (their default ranks are far lower).
const RANK: isize = 100;

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
    async fn handle<'r>(&self, request: &'r Request<'_>, _data: Data<'r>) -> Outcome<'r> {
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
        .map(|method| Route::ranked(RANK, method, "/people/<_>/<_..>", Answer(answer)))
        .collect()
}
