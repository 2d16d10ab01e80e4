//! Behind a proxy that terminates TLS (every `public_origin` is `https://`), browsers only
//! ever reach us over HTTPS, so every cookie we set is marked `Secure`: the CSRF cookie, the
//! flash messages, any added later. Rocket does this itself only when it terminates TLS. Done
//! here, on the way out, so no cookie can be forgotten.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{Cookie, Header};
use rocket::{Request, Response};

pub struct SecureCookies;

#[rocket::async_trait]
impl Fairing for SecureCookies {
    fn info(&self) -> Info {
        Info {
            name: "Secure cookies",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, _: &'r Request<'_>, response: &mut Response<'r>) {
        let cookies: Vec<String> = response
            .headers()
            .get("Set-Cookie")
            .map(|value| match Cookie::parse(value) {
                Ok(mut cookie) => {
                    cookie.set_secure(true);
                    cookie.to_string()
                }
                // Never set by us; passed on as it was rather than dropped.
                Err(_) => value.to_owned(),
            })
            .collect();
        if cookies.is_empty() {
            return;
        }
        response.remove_header("Set-Cookie");
        for cookie in cookies {
            response.adjoin_header(Header::new("Set-Cookie", cookie));
        }
    }
}
