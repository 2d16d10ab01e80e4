//! The error page: every error status gets it, from handlers (`AppError`) and from Rocket's
//! catchers alike.

use askama::Template;
use askama_web::WebTemplate;
use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};

use super::paths;
use crate::error::AppError;

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub code: u16,
    pub title: &'static str,
    pub message: &'static str,
    /// What exactly was wrong, when the handler knows (which parameter, say).
    pub detail: Option<String>,
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
            detail: None,
        }
    }

    pub fn with_detail(self, detail: String) -> Self {
        Self {
            detail: Some(detail),
            ..self
        }
    }
}

impl<'r> Responder<'r, 'static> for AppError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        self.log(request);
        let status = self.status();
        let page = match self {
            Self::BadRequest(detail) => ErrorPage::for_status(status).with_detail(detail),
            _ => ErrorPage::for_status(status),
        };
        (status, page).respond_to(request)
    }
}

#[cfg(test)]
mod tests {
    use askama::Template;
    use rocket::http::Status;

    use super::ErrorPage;

    #[test]
    fn server_errors_render_as_our_styled_page() {
        for (status, heading) in [
            (Status::InternalServerError, "<h1>Something went wrong</h1>"),
            (
                Status::ServiceUnavailable,
                "<h1>Temporarily unavailable</h1>",
            ),
            (Status::NotFound, "<h1>Page not found</h1>"),
            (
                Status::UnprocessableEntity,
                "<h1>Could not read the form</h1>",
            ),
        ] {
            let html = ErrorPage::for_status(status).render().unwrap();
            assert!(html.contains(heading), "{status}: {html}");
            assert!(html.contains(&format!("Error {}", status.code)));
            let stylesheet = format!(
                r#"<link rel="stylesheet" href="{}">"#,
                super::paths::asset("style.css")
            );
            assert!(html.contains(&stylesheet), "{html}");
        }
    }
}
