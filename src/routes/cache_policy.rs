//! Pages are made for one visitor at one moment: they carry that visitor's flash message and
//! CSRF cookie, and the list changes whenever anyone saves. Every HTML response that sets no
//! `Cache-Control` of its own is therefore `private, no-cache`: no shared cache (a proxy, a
//! CDN) keeps it, and a browser checks back before reusing it. Responses that need more say
//! so themselves (form pages: `no-store`), and this leaves them alone; static files set
//! theirs in `assets`.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{ContentType, Header};
use rocket::{Request, Response};

pub const PAGES: &str = "private, no-cache";

pub struct PrivatePages;

#[rocket::async_trait]
impl Fairing for PrivatePages {
    fn info(&self) -> Info {
        Info {
            name: "Pages are private",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, _: &'r Request<'_>, response: &mut Response<'r>) {
        if response.content_type() == Some(ContentType::HTML)
            && !response.headers().contains("Cache-Control")
        {
            response.set_header(Header::new("Cache-Control", PAGES));
        }
    }
}
