//! Pages that hold a form are never kept by the browser's cache.

use rocket::http::Header;
use rocket::request::Request;
use rocket::response::{self, Responder};

/// A page holding a form: its one-time creation key, the version an edit was opened at and
/// the CSRF token are only good for a while, so `Back` must fetch the page again rather
/// than show a copy holding a spent key. Every page with a form (new, edit, delete
/// confirmation, and the same forms refused) is sent through this, and only these.
pub struct FormPage<P>(pub P);

impl<'r, P: Responder<'r, 'static>> Responder<'r, 'static> for FormPage<P> {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let mut response = self.0.respond_to(request)?;
        response.set_header(Header::new("Cache-Control", "no-store"));
        Ok(response)
    }
}
