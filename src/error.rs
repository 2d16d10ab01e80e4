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
//! - `db::DeadlinePassed`: a query stopped at `query_timeout` (503 "took too long").
//! - `db::SharedFailure`: a read shared with other requests failed (the `AppError` it
//!   carries), ended without an answer (500) or took too long (503).
//! - `forms::BodyError`: a body too large, too slow to arrive (408) or unreadable.
//! - `db`: `DbPoolError`, `UrlError`, `PgUrlError` and the launch errors of the migrations:
//!   configuration and connection failures, reported once at launch or as a 503.
//!
//! Outcomes a user can act on (a taken name, a stale edit) are not errors: the models return
//! them as `Created` and `Updated`.

use std::sync::Arc;

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use rocket::http::Status;
use rocket::request::Request;

use crate::db::{DbPoolError, DeadlinePassed, SharedFailure};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A request we understood and refuse; the message says what to change.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 409: the request no longer fits what is stored (restoring someone already restored);
    /// the message says what happened.
    #[error("conflict: {0}")]
    Conflict(String),
    /// 405: the path exists, without this method; these are the ones it has (`Allow`).
    #[error("method not allowed; the path answers {0}")]
    MethodNotAllowed(String),
    #[error("database unavailable: {0}")]
    Unavailable(DieselError),
    /// No connection could be had within `connect_timeout` (what `Connection<Db>` answers
    /// with its own 503, for handlers that connect after reading a body).
    #[error("no database connection: {0}")]
    NoConnection(#[from] DbPoolError),
    /// The request's database work ran past `query_timeout` and was stopped.
    #[error("database too slow: {0}")]
    TooSlow(DieselError),
    #[error("database error: {0}")]
    Database(DieselError),
    /// A page that did not render (a bug in a template's values).
    #[error("the page did not render: {0}")]
    Render(#[from] askama::Error),
    /// The failure of a read this request shared with others that asked for the same thing
    /// at the same moment (`db::SharedReads`): it answers as that failure does.
    #[error(transparent)]
    Shared(Arc<AppError>),
}

impl AppError {
    /// The failure itself, out of the read it was shared by.
    pub fn cause(&self) -> &Self {
        match self {
            Self::Shared(shared) => shared.cause(),
            error => error,
        }
    }

    pub fn status(&self) -> Status {
        match self.cause() {
            Self::NotFound => Status::NotFound,
            Self::BadRequest(_) => Status::BadRequest,
            Self::MethodNotAllowed(_) => Status::MethodNotAllowed,
            Self::Conflict(_) => Status::Conflict,
            Self::Unavailable(_) | Self::TooSlow(_) | Self::NoConnection(_) => {
                Status::ServiceUnavailable
            }
            Self::Database(_) | Self::Render(_) | Self::Shared(_) => Status::InternalServerError,
        }
    }

    /// Server-side trouble goes to the log; the user's own mistakes do not.
    pub fn log(&self, request: &Request<'_>) {
        match self.cause() {
            Self::Database(_) | Self::Render(_) => {
                rocket::error!("{} {}: {self}", request.method(), request.uri())
            }
            Self::Unavailable(_) | Self::TooSlow(_) | Self::NoConnection(_) => {
                rocket::warn!("{} {}: {self}", request.method(), request.uri())
            }
            Self::NotFound
            | Self::BadRequest(_)
            | Self::MethodNotAllowed(_)
            | Self::Conflict(_)
            | Self::Shared(_) => {}
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
            error if DeadlinePassed::is(&error) => Self::TooSlow(error),
            // SQLite's busy_timeout ran out while another writer held the lock: temporary.
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, ref info)
                if is_sqlite_busy(info.message()) =>
            {
                Self::Unavailable(error)
            }
            error => Self::Database(error),
        }
    }
}

impl From<SharedFailure<AppError>> for AppError {
    fn from(failure: SharedFailure<AppError>) -> Self {
        match failure {
            // Alone with its read (the usual case when the server is not busy), the request
            // gets the error itself.
            SharedFailure::Failed(error) => Arc::try_unwrap(error).unwrap_or_else(Self::Shared),
            SharedFailure::Lost(lost) => {
                Self::Database(DieselError::QueryBuilderError(lost.into()))
            }
            SharedFailure::OutOfTime(_) => {
                Self::TooSlow(DieselError::QueryBuilderError(Box::new(DeadlinePassed)))
            }
        }
    }
}

/// SQLITE_BUSY and SQLITE_LOCKED, in the words SQLite reports them.
fn is_sqlite_busy(message: &str) -> bool {
    matches!(
        message,
        "database is locked" | "database table is locked" | "database is busy"
    )
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind, Error as DieselError};
    use rocket::http::Status;

    use super::AppError;
    use crate::db::DeadlinePassed;

    fn status_of(error: DieselError) -> Status {
        AppError::from(error).status()
    }

    #[test]
    fn a_busy_sqlite_file_and_a_passed_deadline_are_temporary() {
        let database = |message: &str| {
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, Box::new(message.to_owned()))
        };
        for temporary in [
            database("database is locked"),
            database("canceling statement due to statement timeout"),
            DieselError::QueryBuilderError(Box::new(DeadlinePassed)),
        ] {
            assert_eq!(status_of(temporary), Status::ServiceUnavailable);
        }
        assert_eq!(
            status_of(database("no such table: person")),
            Status::InternalServerError
        );
    }
}
