//! `/static/...`: the embedded files (`crate::assets`), from memory. At its hashed address a
//! file never changes, so it may be kept for a year (`immutable`: not even revalidated on
//! reload); at its plain name it is kept briefly and revalidated by `ETag` (304 when
//! unchanged). The brotli or gzip form made at build time is sent when the client accepts
//! it, with `Vary: Accept-Encoding` so that caches keep the forms apart.

use std::io::Cursor;
use std::path::PathBuf;

use rocket::http::{ContentType, Header, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Responder, Response};
use rocket::{Route, get, routes};

use super::accept_encoding::{Coding, accepts};
use crate::assets::{self, Asset, Naming};

const FOREVER: &str = "public, max-age=31536000, immutable";
/// Long enough to spare a burst of requests, short enough that a new version shows soon.
const BRIEFLY: &str = "public, max-age=300";

pub fn routes() -> Vec<Route> {
    routes![asset]
}

/// What the request says about the forms and versions it can use.
pub struct Conditions<'r> {
    accept_encoding: Option<&'r str>,
    if_none_match: Option<&'r str>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Conditions<'r> {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let headers = request.headers();
        Outcome::Success(Self {
            accept_encoding: headers.get_one("Accept-Encoding"),
            if_none_match: headers.get_one("If-None-Match"),
        })
    }
}

/// Unknown names fall through to the 404 page.
#[get("/static/<path..>")]
fn asset(path: PathBuf, conditions: Conditions<'_>) -> Option<AssetResponse> {
    let (asset, naming) = assets::lookup(path.to_str()?)?;
    let accepted = |coding| {
        conditions
            .accept_encoding
            .is_some_and(|h| accepts(h, coding))
    };
    let (coding, body) = match (asset.brotli, asset.gzip) {
        (Some(body), _) if accepted(Coding::Brotli) => (Some(Coding::Brotli), body),
        (_, Some(body)) if accepted(Coding::Gzip) => (Some(Coding::Gzip), body),
        _ => (None, asset.identity),
    };
    let etag = entity_tag(asset, coding);
    let unchanged = conditions
        .if_none_match
        .is_some_and(|header| matches_any(header, &etag));
    Some(AssetResponse {
        asset,
        naming,
        coding,
        etag,
        body: (!unchanged).then_some(body),
    })
}

pub struct AssetResponse {
    asset: &'static Asset,
    naming: Naming,
    coding: Option<Coding>,
    etag: String,
    /// `None`: the client has this version already (304).
    body: Option<&'static [u8]>,
}

/// Each stored form is its own representation, so each has its own strong tag.
fn entity_tag(asset: &Asset, coding: Option<Coding>) -> String {
    match coding {
        None => format!("\"{}\"", asset.hash),
        Some(coding) => format!("\"{}-{}\"", asset.hash, coding.name()),
    }
}

/// `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"` (proxies that compress
/// weaken tags), and `*` matches any.
fn matches_any(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

impl<'r> Responder<'r, 'static> for AssetResponse {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let mut response = Response::build();
        response
            .header(Header::new(
                "Cache-Control",
                match self.naming {
                    Naming::Hashed => FOREVER,
                    Naming::Plain => BRIEFLY,
                },
            ))
            .header(Header::new("ETag", self.etag));
        if self.asset.brotli.is_some() || self.asset.gzip.is_some() {
            response.header(Header::new("Vary", "Accept-Encoding"));
        }
        if let Some(content_type) = ContentType::from_extension(self.asset.extension) {
            response.header(content_type);
        }
        if let Some(coding) = self.coding {
            response.header(Header::new("Content-Encoding", coding.name()));
        }
        match self.body {
            Some(body) => response.sized_body(body.len(), Cursor::new(body)),
            None => response.status(Status::NotModified),
        };
        response.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly() {
        assert!(matches_any("\"abc\"", "\"abc\""));
        assert!(matches_any("W/\"abc\"", "\"abc\""));
        assert!(matches_any("\"x\", \"abc\"", "\"abc\""));
        assert!(matches_any("*", "\"abc\""));
        assert!(!matches_any("\"abc-br\"", "\"abc\""));
        assert!(!matches_any("", "\"abc\""));
    }
}
