//! Pages as the local client returns them, read whole, and what tests assert about them.

use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::LocalResponse;

/// A response read whole, so tests can assert on it after the client moves on.
#[derive(Debug)]
pub struct Page {
    pub status: Status,
    pub content_type: Option<ContentType>,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    pub(crate) async fn read(response: LocalResponse<'_>) -> Self {
        Self {
            status: response.status(),
            content_type: response.content_type(),
            location: response.headers().get_one("Location").map(str::to_owned),
            body: response.into_string().await.unwrap_or_default(),
        }
    }

    /// The names listed on this page, in order, as shown (HTML-escaped).
    pub fn names(&self) -> Vec<String> {
        assert_eq!(self.status, Status::Ok, "{}", self.body);
        self.body
            .split("class=\"person-name\"")
            .skip(1)
            .filter_map(|rest| Some(rest.split_once('>')?.1.split_once("</a>")?.0.to_owned()))
            .collect()
    }

    /// The target of the link with this `rel` ("next", "prev"), unescaped, if there is one.
    pub fn link(&self, rel: &str) -> Option<String> {
        let anchor = format!("rel=\"{rel}\"");
        let tag_end = self.body.find(&anchor)?;
        let tag_start = self.body[..tag_end].rfind("<a ")?;
        let tag = &self.body[tag_start..tag_end];
        let href = tag.split_once("href=\"")?.1.split_once('"')?.0;
        Some(unescape_html(href))
    }

    pub fn assert_html(&self, status: Status) -> &Self {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(self.content_type, Some(ContentType::HTML));
        assert!(
            self.body.starts_with("<!doctype html>"),
            "a full page: {}",
            self.body
        );
        assert!(
            self.stylesheet().is_some(),
            "the page links the stylesheet: {}",
            self.body
        );
        self
    }

    /// The address the page links its stylesheet at, if it is the content-hashed one.
    pub fn stylesheet(&self) -> Option<&str> {
        stylesheet_link(&self.body)
    }

    pub fn assert_redirect(&self, to: &str) -> &Self {
        assert_eq!(self.status, Status::SeeOther, "body: {}", self.body);
        assert_eq!(self.location.as_deref(), Some(to));
        self
    }

    pub fn assert_contains(&self, text: &str) -> &Self {
        assert!(
            self.body.contains(text),
            "expected {text:?} in:\n{}",
            self.body
        );
        self
    }

    pub fn assert_lacks(&self, text: &str) -> &Self {
        assert!(
            !self.body.contains(text),
            "did not expect {text:?} in:\n{}",
            self.body
        );
        self
    }
}

/// Undoes Askama's escaping of an attribute value.
fn unescape_html(text: &str) -> String {
    text.replace("&#38;", "&")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
}

/// The address a page links its stylesheet at, if it is the content-hashed one
/// (`/static/style.<hash>.css`).
pub fn stylesheet_link(body: &str) -> Option<&str> {
    let (_, rest) = body.split_once(r#"<link rel="stylesheet" href=""#)?;
    let (href, _) = rest.split_once('"')?;
    let hash = href.strip_prefix("/static/style.")?.strip_suffix(".css")?;
    (!hash.is_empty() && hash.chars().all(|c| c.is_ascii_hexdigit())).then_some(href)
}
