//! The failure a page handler returns, and the status each kind of failure means. Rendering
//! it is the views' job (`views::error_page`); the API answers the same causes as JSON.
//!
//! Every error type in the crate, and where it is used:
//! - [`AppError`] (here): what HTML handlers return; a styled page of that status.
//! - `api::ApiError`: what API handlers return; wraps `AppError` for database trouble and
//!   adds the API's own refusals (415, 409 with the current person, 428), answered as JSON.
//! - `forms::protected::FormRefusal` (with `forms::csrf::CsrfRefusal`): a form body refused
//!   before parsing (403 forged, 413, 415, 400 unknown or repeated fields).
//! - `person_name::NameError`: why a name is refused; its text is the message beside the
//!   field, on the page and in the API's 422.
//! - `models::list::params::ListParamsError`: a list URL that cannot be honoured (400).
//! - `db`: `DbPoolError`, `UrlError`, `PgUrlError` and the launch errors of the migrations:
//!   configuration and connection failures, reported once at launch or as a 503.
//!
//! Outcomes a user can act on (a taken name, a stale edit) are not errors: the models return
//! them as `Created` and `Updated`.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use rocket::http::Status;
use rocket::request::Request;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A request we understood and refuse; the message says what to change.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("database unavailable: {0}")]
    Unavailable(DieselError),
    /// No pooled connection within `connect_timeout`, for handlers that take `&Db` and ask
    /// for one after reading their body.
    #[error("no database connection: {0}")]
    NoConnection(String),
    #[error("database error: {0}")]
    Database(DieselError),
}

impl AppError {
    pub fn status(&self) -> Status {
        match self {
            Self::NotFound => Status::NotFound,
            Self::BadRequest(_) => Status::BadRequest,
            Self::Unavailable(_) | Self::NoConnection(_) => Status::ServiceUnavailable,
            Self::Database(_) => Status::InternalServerError,
        }
    }

    /// Server-side trouble goes to the log; the user's own mistakes do not.
    pub fn log(&self, request: &Request<'_>) {
        match self {
            Self::Database(_) => rocket::error!("{} {}: {self}", request.method(), request.uri()),
            Self::Unavailable(_) | Self::NoConnection(_) => {
                rocket::warn!("{} {}: {self}", request.method(), request.uri())
            }
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
