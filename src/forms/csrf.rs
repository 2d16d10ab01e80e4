//! Cross-site request forgery protection for the HTML forms. Each visitor gets a random token
//! in a private (encrypted, HttpOnly, SameSite=Strict) cookie; every state-changing form
//! carries it in a hidden field, and a request is refused unless the two match and the
//! browser does not say the request came from another site. Instances that share
//! `secret_key` accept each other's tokens.

use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::{FromRequest, Outcome, Request};

use super::random_key::random_hex;
use crate::settings::PublicOrigins;

const COOKIE: &str = "csrf";
/// The hidden field's name, after `_method` in every form (Rocket reads `_method` first).
pub const FIELD: &str = "csrf_token";

/// The visitor's token, for a form about to be rendered; set as a cookie on first use.
pub struct CsrfToken(pub String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CsrfToken {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let cookies = request.cookies();
        if let Some(token) = session_token(cookies) {
            return Outcome::Success(Self(token));
        }
        let token = random_hex::<32>();
        cookies.add_private(
            Cookie::build((COOKIE, token.clone()))
                .http_only(true)
                .same_site(SameSite::Strict)
                .path("/"),
        );
        Outcome::Success(Self(token))
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CsrfRefusal {
    #[error("the request came from another site")]
    CrossSite,
    #[error("the form carried no valid token for this session")]
    BadToken,
}

/// Checks a state-changing request whose form sent `sent` as its token.
pub fn verify(request: &Request<'_>, sent: Option<&str>) -> Result<(), CsrfRefusal> {
    if is_cross_site(request) {
        return Err(CsrfRefusal::CrossSite);
    }
    match (session_token(request.cookies()), sent) {
        (Some(expected), Some(sent)) if constant_time_eq(expected.as_bytes(), sent.as_bytes()) => {
            Ok(())
        }
        _ => Err(CsrfRefusal::BadToken),
    }
}

fn session_token(cookies: &CookieJar<'_>) -> Option<String> {
    cookies
        .get_private(COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|token| token.len() == 64)
}

/// Browsers say where a request comes from: `Sec-Fetch-Site` (all current ones) and `Origin`
/// (on every POST). Either naming another origin refuses the request, even with a token.
/// `Origin` is compared with `public_origin` when it is set (behind a proxy, which sends a
/// `Host` of its own), and with `Host` when not.
fn is_cross_site(request: &Request<'_>) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get_one("Sec-Fetch-Site")
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    let Some(origin) = headers.get_one("Origin") else {
        return false;
    };
    match request.rocket().state::<PublicOrigins>() {
        Some(public) if public.is_set() => !public.allows(origin),
        _ => headers
            .get_one("Host")
            .is_none_or(|host| origin_authority(origin) != Some(host)),
    }
}

/// `https://example.com:8000` -> `example.com:8000`; `null` (sandboxed or privacy-stripped
/// origins) has none.
fn origin_authority(origin: &str) -> Option<&str> {
    origin
        .split_once("://")
        .map(|(_, authority)| authority.trim_end_matches('/'))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_authority_is_host_and_port() {
        assert_eq!(
            origin_authority("http://127.0.0.1:8000"),
            Some("127.0.0.1:8000")
        );
        assert_eq!(
            origin_authority("https://people.example"),
            Some("people.example")
        );
        assert_eq!(origin_authority("null"), None);
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
