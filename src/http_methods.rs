//! Which methods a path has, by the routes actually mounted there: what `Allow` lists, for
//! the 405s and OPTIONS answers of `routes::allowed_methods` and for the catchers, which
//! answer a method Rocket cannot even read (see `unknown_method`).

use rocket::Request;
use rocket::http::{Header, Method, Status};
use rocket::response::{self, Responder};

/// Routes at or after this rank answer only what no real route took
/// (`routes::allowed_methods`); they never count among a path's methods.
pub const FALLBACK_RANK: isize = 100;

/// The name of the fallback routes that answer 405 (or 404 for an unknown path), so logs,
/// metrics and tests can tell them from the app's own routes.
pub const FALLBACK_ROUTE_NAME: &str = "method_not_allowed";

/// The route that answered `request`, unless it was only the fallback: a path no route of
/// ours has counts as unmatched, not as one more route.
pub fn matched_route<'r>(request: &'r Request<'_>) -> Option<&'r rocket::Route> {
    request
        .route()
        .filter(|route| route.name.as_deref() != Some(FALLBACK_ROUTE_NAME))
}

/// `Allow` lists methods in this order.
pub const METHODS: [Method; 8] = [
    Method::Get,
    Method::Head,
    Method::Post,
    Method::Put,
    Method::Patch,
    Method::Delete,
    Method::Options,
    Method::Trace,
];

/// The methods the mounted routes answer at the request's path, whatever their parameters'
/// types make of the values in it: with `HEAD` where there is `GET`, and `OPTIONS` where
/// there is anything. Empty when no route has this path. A path that some route names
/// exactly (`/api/people/import`) has only those routes' methods, not those of a route with a
/// parameter in its place (`/api/people/<id>`), which could never take that value anyway.
pub fn allowed(request: &Request<'_>) -> Vec<Method> {
    let path: Vec<&str> = request.uri().path().segments().collect();
    let matching: Vec<&rocket::Route> = request
        .rocket()
        .routes()
        .filter(|route| route.rank < FALLBACK_RANK && path_matches(route.uri.path(), &path))
        .collect();
    let is_static = |route: &&&rocket::Route| !route.uri.path().contains('<');
    let exact = matching.iter().any(|route| is_static(&route));
    let mounted: Vec<Method> = matching
        .iter()
        .filter(|route| !exact || is_static(route))
        .map(|route| route.method)
        .collect();
    if mounted.is_empty() {
        return mounted;
    }
    METHODS
        .into_iter()
        .filter(|method| match method {
            Method::Head => mounted.contains(&Method::Head) || mounted.contains(&Method::Get),
            Method::Options => true,
            method => mounted.contains(method),
        })
        .collect()
}

/// Whether a route's path (`/api/people/<id>`, `/static/<path..>`) has the shape of a request
/// path, as Rocket's router matches segments: static ones equal, `<x>` any one, `<x..>` the
/// rest (none included).
fn path_matches(route_path: &str, request: &[&str]) -> bool {
    let mut request = request.iter();
    for segment in route_path.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('<') && segment.ends_with("..>") {
            return true;
        }
        let Some(actual) = request.next() else {
            return false;
        };
        if !(segment.starts_with('<') || segment == *actual) {
            return false;
        }
    }
    request.next().is_none()
}

/// Rocket 0.5 reads only the methods it knows (`METHODS` and CONNECT). A request with any
/// other (QUERY, PROPFIND, ...) reaches no route: Rocket hands the 400 catcher a stand-in
/// request (no route, the method forgotten). On a path that exists, that is a method the
/// path does not have: the 405 and the methods to list in `Allow`.
pub fn unknown_method(status: Status, request: &Request<'_>) -> Option<Vec<Method>> {
    if status != Status::BadRequest || request.route().is_some() {
        return None;
    }
    let methods = allowed(request);
    (!methods.is_empty()).then_some(methods)
}

/// `inner` with an `Allow` header listing `methods`.
pub struct WithAllow<R> {
    inner: R,
    allow: String,
}

impl<R> WithAllow<R> {
    pub fn new(inner: R, methods: &[Method]) -> Self {
        Self {
            inner,
            allow: allow_list(methods),
        }
    }
}

/// `methods` as `Allow` lists them: `GET, HEAD, OPTIONS`.
pub fn allow_list(methods: &[Method]) -> String {
    let names: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
    names.join(", ")
}

impl<'r, R: Responder<'r, 'static>> Responder<'r, 'static> for WithAllow<R> {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let mut response = self.inner.respond_to(request)?;
        response.set_header(Header::new("Allow", self.allow));
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::path_matches;

    #[test]
    fn paths_match_by_shape() {
        assert!(path_matches("/api/people", &["api", "people"]));
        assert!(path_matches("/api/people/<id>", &["api", "people", "abc"]));
        assert!(path_matches("/static/<path..>", &["static", "style.css"]));
        assert!(path_matches("/static/<path..>", &["static"]));
        assert!(path_matches("/", &[]));
        assert!(!path_matches("/", &["people"]));
        assert!(!path_matches("/api/people/<id>", &["api", "people"]));
        assert!(!path_matches("/api/people", &["api", "people", "1"]));
        assert!(!path_matches(
            "/people/<id>/edit",
            &["people", "1", "delete"]
        ));
    }
}
