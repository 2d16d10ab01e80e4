//! The one error type handlers return: each variant knows its status, and the response is a
//! styled page of ours.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};

use crate::views::ErrorPage;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A request no browser sends from our pages (a broken hidden field, say).
    #[error("bad request")]
    BadRequest,
    #[error("not found")]
    NotFound,
    #[error("database unavailable: {0}")]
    Unavailable(DieselError),
    #[error("database error: {0}")]
    Database(DieselError),
}

impl AppError {
    pub fn status(&self) -> Status {
        match self {
            Self::BadRequest => Status::BadRequest,
            Self::NotFound => Status::NotFound,
            Self::Unavailable(_) => Status::ServiceUnavailable,
            Self::Database(_) => Status::InternalServerError,
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
        let status = self.status();
        match &self {
            Self::Database(_) => rocket::error!("{} {}: {self}", request.method(), request.uri()),
            Self::Unavailable(_) => rocket::warn!("{} {}: {self}", request.method(), request.uri()),
            Self::BadRequest | Self::NotFound => {}
        }
        (status, ErrorPage::for_status(status)).respond_to(request)
    }
}
