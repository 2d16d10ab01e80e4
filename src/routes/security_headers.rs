//! Security headers on every response, through Rocket's `Shield`. Shield has no
//! Content-Security-Policy of its own, so ours is a `Policy` it sends like the others.
//! `Strict-Transport-Security` is sent when browsers reach us over HTTPS only (an `https://`
//! `public_origin`; Rocket adds it itself only when it terminates TLS).

use rocket::http::Header;
use rocket::shield::{Frame, Hsts, NoSniff, Policy, Referrer, Shield};
use rocket::time::Duration;

/// Pages load only our own stylesheet and icon: no script at all, no inline style, forms
/// post only to us, and no site may frame us.
#[derive(Default)]
pub struct ContentSecurityPolicy;

impl ContentSecurityPolicy {
    pub const VALUE: &'static str = "default-src 'none'; style-src 'self'; img-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
}

impl Policy for ContentSecurityPolicy {
    const NAME: &'static str = "Content-Security-Policy";

    fn header(&self) -> Header<'static> {
        Header::new(Self::NAME, Self::VALUE)
    }
}

/// `hsts_max_age`: seconds browsers must keep to HTTPS, when they reach us only by HTTPS.
pub fn shield(hsts_max_age: Option<u64>) -> Shield {
    let shield = Shield::default()
        .enable(NoSniff::Enable)
        .enable(Frame::Deny)
        .enable(Referrer::SameOrigin)
        .enable(ContentSecurityPolicy);
    match hsts_max_age {
        Some(seconds) => {
            let seconds = i64::try_from(seconds).unwrap_or(i64::MAX);
            shield.enable(Hsts::Enable(Duration::seconds(seconds)))
        }
        None => shield,
    }
}
