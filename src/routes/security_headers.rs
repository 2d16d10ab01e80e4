//! Security headers on every response, through Rocket's `Shield`. Shield has no
//! Content-Security-Policy of its own, so ours is a `Policy` it sends like the others.

use rocket::http::Header;
use rocket::shield::{Frame, NoSniff, Policy, Referrer, Shield};

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

pub fn shield() -> Shield {
    Shield::default()
        .enable(NoSniff::Enable)
        .enable(Frame::Deny)
        .enable(Referrer::SameOrigin)
        .enable(ContentSecurityPolicy)
}
