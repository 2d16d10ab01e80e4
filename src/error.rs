//! The one error type handlers return: each variant knows its status, and the response is a
//! styled page of ours.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};

use crate::views::ErrorPage;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A request we understood and refuse; the message says what to change.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("database unavailable: {0}")]
    Unavailable(DieselError),
    #[error("database error: {0}")]
    Database(DieselError),
}

impl AppError {
    pub fn status(&self) -> Status {
        match self {
            Self::NotFound => Status::NotFound,
            Self::BadRequest(_) => Status::BadRequest,
            Self::Unavailable(_) => Status::ServiceUnavailable,
            Self::Database(_) => Status::InternalServerError,
        }
    }

    /// Server-side trouble goes to the log; the user's own mistakes do not.
    pub fn log(&self, request: &Request<'_>) {
        match self {
            Self::Database(_) => rocket::error!("{} {}: {self}", request.method(), request.uri()),
            Self::Unavailable(_) => rocket::warn!("{} {}: {self}", request.method(), request.uri()),
            Self::NotFound | Self::BadRequest(_) => {}
        }
    }
}

impl From<DieselError> for AppError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => Self::NotFound,
            // A connection that broke mid-request (the server went away): the pool replaces
            // it, so this is an outage to report as 503, not a bug.
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => Self::Unavailable(error),
            error => Self::Database(error),
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
