use askama::Template;
use askama_web::WebTemplate;
use rocket::http::Status;

/// Every error status gets this page, from handlers and from Rocket's catchers alike.
#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub code: u16,
    pub title: &'static str,
    pub message: &'static str,
}

impl ErrorPage {
    pub fn for_status(status: Status) -> Self {
        let (title, message) = match status.code {
            400 => (
                "Bad request",
                "The request could not be understood. Check the address or the form and try again.",
            ),
            403 => (
                "Forbidden",
                "This request was refused. Reload the page and try again.",
            ),
            404 => (
                "Page not found",
                "There is nothing at this address. The person may have been deleted, or the link may be mistyped.",
            ),
            413 => (
                "Too large",
                "What was sent is larger than this app accepts.",
            ),
            415 => (
                "Unsupported form",
                "This form was sent in a format this app does not accept.",
            ),
            422 => (
                "Could not read the form",
                "Some of what was sent could not be understood. Go back and try again.",
            ),
            503 => (
                "Temporarily unavailable",
                "The database is not answering right now. Try again in a moment.",
            ),
            500..=599 => (
                "Something went wrong",
                "Something went wrong on our side. It has been logged; try again in a moment.",
            ),
            _ => ("Request failed", "This request could not be completed."),
        };
        Self {
            code: status.code,
            title,
            message,
        }
    }
}
