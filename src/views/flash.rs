//! The one-time message shown after a save ("Added Ada Lovelace"), carried by a cookie from
//! the POST that set it to the page it redirects to.
//!
//! Not Rocket's `Flash`: its cookie is plain text, so a site on a sibling domain could plant
//! messages, and it slices the message by a length read from the cookie, so a crafted
//! `_flash=1:%C3%A9` made every page answer 500 until the cookie expired. Ours is a private
//! cookie (encrypted and authenticated with `secret_key`, like the CSRF cookie): anything
//! that does not decrypt to a message of ours is dropped, never shown and never an error.

use rocket::http::{Cookie, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Redirect, Responder};

const COOKIE: &str = "flash";

/// A flash message ready for the layout, read (and removed) from the request's cookie, so a
/// message is shown once. As a request guard, `Option<FlashView>` is `None` without one.
pub struct FlashView {
    pub message: String,
    is_error: bool,
}

impl FlashView {
    /// A fixed class for either kind.
    pub fn css_class(&self) -> &'static str {
        if self.is_error {
            "flash flash-error"
        } else {
            "flash flash-success"
        }
    }

    /// `s:MESSAGE` or `e:MESSAGE`, as `Flash` writes it.
    fn decode(value: &str) -> Option<Self> {
        let (kind, message) = value.split_once(':')?;
        let is_error = match kind {
            "s" => false,
            "e" => true,
            _ => return None,
        };
        Some(Self {
            message: message.to_owned(),
            is_error,
        })
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for FlashView {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let cookies = request.cookies();
        let Some(raw) = cookies.get(COOKIE) else {
            return Outcome::Forward(Status::Ok);
        };
        let raw = raw.clone();
        let shown = cookies
            .get_private(COOKIE)
            .and_then(|cookie| Self::decode(cookie.value()));
        // Read once, or unreadable: either way it goes.
        cookies.remove(removal(raw));
        match shown {
            Some(flash) => Outcome::Success(flash),
            None => Outcome::Forward(Status::Ok),
        }
    }
}

/// The removal cookie for what the browser sent, on the path our cookies are set on.
fn removal(sent: Cookie<'_>) -> Cookie<'static> {
    Cookie::build((sent.name().to_owned(), ""))
        .path("/")
        .build()
}

/// A redirect that leaves a message for the page it leads to.
pub struct Flash {
    redirect: Redirect,
    value: String,
}

impl Flash {
    pub fn success(redirect: Redirect, message: impl Into<String>) -> Self {
        Self {
            redirect,
            value: format!("s:{}", message.into()),
        }
    }
}

impl<'r> Responder<'r, 'static> for Flash {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        request.cookies().add_private(
            Cookie::build((COOKIE, self.value))
                .http_only(true)
                .same_site(SameSite::Lax)
                .path("/"),
        );
        self.redirect.respond_to(request)
    }
}

#[cfg(test)]
mod tests {
    use super::FlashView;

    #[test]
    fn only_our_two_kinds_decode() {
        assert!(FlashView::decode("s:Added Ada").is_some_and(|f| !f.is_error));
        assert!(FlashView::decode("e:Oops: no").is_some_and(|f| f.message == "Oops: no"));
        for junk in ["", "s", "1:é", "success:Added", "x:y"] {
            assert!(FlashView::decode(junk).is_none(), "{junk:?}");
        }
    }
}
