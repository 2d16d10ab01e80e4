//! The error page: every error status gets it, from handlers (`AppError`) and from Rocket's
//! catchers alike, with the request's id for the user to quote.

use askama::Template;
use askama_web::WebTemplate;
use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};

use super::paths;
use crate::error::AppError;
use crate::request_id::RequestId;

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub code: u16,
    pub title: &'static str,
    pub message: &'static str,
    /// What exactly was wrong, when the handler knows (which parameter, say).
    pub detail: Option<String>,
    /// The `X-Request-Id` of this response, which finds its log lines.
    pub request_id: String,
}

impl ErrorPage {
    pub fn for_request(status: Status, request: &Request<'_>) -> Self {
        Self::for_status(status, RequestId::of(request))
    }

    pub fn for_status(status: Status, request_id: &RequestId) -> Self {
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
            405 => (
                "Not allowed here",
                "This address exists, but does not take this kind of request.",
            ),
            409 => (
                "Changed meanwhile",
                "What this request was about changed since the page was opened.",
            ),
            408 => (
                "Too slow to arrive",
                "What was sent did not arrive in time. Check your connection and send it again.",
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
            request_id: request_id.to_string(),
        }
    }

    /// The 503 of a request whose database work passed `query_timeout`.
    pub fn too_slow(request_id: &RequestId) -> Self {
        Self {
            title: "Took too long",
            message: "This request took too long and was stopped. Try again in a moment; \
                      a shorter or more precise search is quicker.",
            ..Self::for_status(Status::ServiceUnavailable, request_id)
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
        let page = match self.cause() {
            Self::BadRequest(detail) | Self::Conflict(detail) => {
                ErrorPage::for_request(status, request).with_detail(detail.clone())
            }
            Self::MethodNotAllowed(allowed) => ErrorPage::for_request(status, request)
                .with_detail(format!("It answers {allowed}.")),
            Self::TooSlow(_) => ErrorPage::too_slow(RequestId::of(request)),
            _ => ErrorPage::for_request(status, request),
        };
        (status, page).respond_to(request)
    }
}

#[cfg(test)]
mod tests {
    use askama::Template;
    use rocket::http::Status;

    use super::ErrorPage;
    use crate::request_id::RequestId;

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
            let id = RequestId::parse("req-42").unwrap();
            let html = ErrorPage::for_status(status, &id).render().unwrap();
            assert!(html.contains(heading), "{status}: {html}");
            assert!(html.contains("<code>req-42</code>"), "{html}");
            assert!(html.contains(&format!("Error {}", status.code)));
            let stylesheet = format!(
                r#"<link rel="stylesheet" href="{}">"#,
                super::paths::asset("style.css")
            );
            assert!(html.contains(&stylesheet), "{html}");
        }
    }
}
