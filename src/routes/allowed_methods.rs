//! What no real route took, answered as HTTP means it. Rocket 0.5 answers a method a path
//! does not have with 404; here a known path answers it with 405 and an `Allow` header, and
//! `OPTIONS` with 204 and the same `Allow`. `Allow` is computed from the routes actually
//! mounted at that path, so it cannot go stale. These routes are ranked after every real one.
//!
//! For a path no route has, or a method the path has whose route declined, they forward with
//! 404: a missing static file, and an id that is not an `i32` (`/people/abc`,
//! `/people/99999999999`), which Rocket would otherwise answer 422, while there simply is no
//! such person. Mounted once for the pages and once for the API, each with its error type.
//!
//! No route here takes HEAD: Rocket answers a HEAD no route took by routing it as GET, so
//! HEAD works wherever GET does, and is refused (405) wherever GET is.

use rocket::Request;
use rocket::data::Data;
use rocket::http::{Method, Status};
use rocket::response::Responder;
use rocket::response::status::NoContent;
use rocket::route::{Handler, Outcome, Route};

use crate::http_methods::{
    FALLBACK_RANK, FALLBACK_ROUTE_NAME, METHODS, WithAllow, allow_list, allowed,
};

/// `answer` is the 405's body (JSON under `/api`, the styled page elsewhere), given the
/// methods the path has, as `Allow` lists them.
struct Answer<R>(fn(String) -> R);

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
        let methods = allowed(request);
        if methods.is_empty() {
            return Outcome::forward(data, Status::NotFound);
        }
        if request.method() == Method::Options {
            return Outcome::from(request, WithAllow::new(NoContent, &methods));
        }
        // The path has this method, and its route declined (a file that is not there, say):
        // its answer stands.
        if methods.contains(&request.method()) {
            return Outcome::forward(data, Status::NotFound);
        }
        let answer = (self.0)(allow_list(&methods));
        Outcome::from(request, WithAllow::new(answer, &methods))
    }
}

/// Every method but HEAD (see above) and CONNECT (not for origin servers) on every path below
/// where they are mounted, ranked `FALLBACK_RANK + rank` (the API's before the pages').
pub fn routes<R>(rank: isize, answer: fn(String) -> R) -> Vec<Route>
where
    R: for<'r> Responder<'r, 'static> + Send + 'static,
{
    METHODS
        .into_iter()
        .filter(|method| *method != Method::Head)
        .map(|method| {
            let mut route = Route::ranked(FALLBACK_RANK + rank, method, "/<_..>", Answer(answer));
            route.name = Some(FALLBACK_ROUTE_NAME.into());
            route
        })
        .collect()
}
