//! The one-time message shown after a save ("Added Ada Lovelace"), carried by a cookie from
//! the POST that set it to the page it redirects to.
//!
//! Not Rocket's `Flash`: its cookie is plain text, so a site on a sibling domain could plant
//! messages, and it slices the message by a length read from the cookie, so a crafted
//! `_flash=1:%C3%A9` made every page answer 500 until the cookie expired. Ours is a private
//! cookie (encrypted and authenticated with `secret_key`, like the CSRF cookie): anything
//! that does not decrypt to a message of ours is dropped, never shown and never an error.
//!
//! A delete's message carries the ids it moved to the trash: the page shows it with an
//! **Undo** button, a small POST form with the CSRF token (no JavaScript), that restores
//! them all at once.

use rocket::http::{Cookie, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Redirect, Responder};

use crate::forms::CsrfToken;

const COOKIE: &str = "flash";

/// A flash message ready for the layout, read (and removed) from the request's cookie, so a
/// message is shown once. As a request guard, `Option<FlashView>` is `None` without one.
pub struct FlashView {
    pub message: String,
    is_error: bool,
    /// The people a delete moved to the trash, for its Undo form (empty for other messages).
    pub undo: Vec<i32>,
    /// The visitor's CSRF token, for the Undo form ("" without one).
    pub csrf_token: String,
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

    /// `s:MESSAGE`, `e:MESSAGE` or `u:ID,ID,...:MESSAGE`, as `Flash` writes it.
    fn decode(value: &str) -> Option<Self> {
        let (kind, rest) = value.split_once(':')?;
        let (is_error, undo, message) = match kind {
            "s" => (false, Vec::new(), rest),
            "e" => (true, Vec::new(), rest),
            "u" => {
                let (ids, message) = rest.split_once(':')?;
                let ids = ids
                    .split(',')
                    .map(|id| id.parse().ok())
                    .collect::<Option<Vec<i32>>>()?;
                (false, ids, message)
            }
            _ => return None,
        };
        Some(Self {
            message: message.to_owned(),
            is_error,
            undo,
            csrf_token: String::new(),
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
            Some(mut flash) => {
                if !flash.undo.is_empty()
                    && let Outcome::Success(CsrfToken(token)) = request.guard::<CsrfToken>().await
                {
                    flash.csrf_token = token;
                }
                Outcome::Success(flash)
            }
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

    pub fn error(redirect: Redirect, message: impl Into<String>) -> Self {
        Self {
            redirect,
            value: format!("e:{}", message.into()),
        }
    }

    /// A success message with an Undo button that restores `trashed` from the trash.
    pub fn undoable(redirect: Redirect, message: impl Into<String>, trashed: &[i32]) -> Self {
        let ids: Vec<String> = trashed.iter().map(i32::to_string).collect();
        Self {
            redirect,
            value: format!("u:{}:{}", ids.join(","), message.into()),
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
        let undo = FlashView::decode("u:3,14:Deleted 2 people.").unwrap();
        assert_eq!(
            (undo.undo, undo.message.as_str()),
            (vec![3, 14], "Deleted 2 people.")
        );
        for junk in [
            "",
            "s",
            "1:é",
            "success:Added",
            "x:y",
            "u:Deleted",
            "u:1,x:Deleted",
        ] {
            assert!(FlashView::decode(junk).is_none(), "{junk:?}");
        }
    }
}
