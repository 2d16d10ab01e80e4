//! The API's errors: the same causes as the pages' [`AppError`] and the API's own refusals,
//! answered as JSON bodies (`{"error": ...}`, `{"errors": {field: [...]}}`, a 409 with the
//! person as it is now).

use std::collections::BTreeMap;

use diesel::result::Error as DieselError;
use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};
use rocket::serde::json::Json;

use serde::Serialize;
use utoipa::ToSchema;

use super::json::PersonJson;
use crate::csv_file::FileError;
use crate::db::DbPoolError;
use crate::error::AppError;
use crate::forms::BodyError;

/// What API handlers return.
#[derive(Debug)]
pub enum ApiError {
    NotFound,
    /// 422: the body was read, and a field's value is refused.
    Invalid(FieldErrors),
    /// 400, saying what to change.
    BadRequest(String),
    TooLarge,
    /// 408: the body did not arrive within `body_timeout`.
    TimedOut,
    /// 415: the body was not sent as `application/json`.
    NotJson,
    /// 405: the path exists without this method; these are the ones it has (`Allow`).
    MethodNotAllowed(String),
    /// 409: the person changed since the version the client sent; here it is now.
    Conflict(PersonJson),
    /// 428: an update that does not say which version it read could overwrite anything.
    VersionRequired,
    /// An import's file that cannot be read (400, 413, 415, 422), saying why.
    File(FileError),
    /// 415: an import not sent as `text/csv`.
    NotCsv,
    /// 409: a name in an import was taken while it ran; nothing was added.
    ImportConflict,
    /// 410: the person is in the trash; `POST` here restores them.
    Gone {
        restore: String,
    },
    /// A refusal with its status and what to do (409 for a restore that cannot be made).
    Refused(Status, String),
    /// The database failed or is away (500, 503); logged, and not detailed to the client.
    Server(AppError),
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound => Self::NotFound,
            AppError::BadRequest(message) => Self::BadRequest(message),
            AppError::MethodNotAllowed(allowed) => Self::MethodNotAllowed(allowed),
            error => Self::Server(error),
        }
    }
}

impl From<DbPoolError> for ApiError {
    fn from(error: DbPoolError) -> Self {
        AppError::from(error).into()
    }
}

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        AppError::from(error).into()
    }
}

/// Why a body could not be read, in the words a client can act on.
impl From<BodyError> for ApiError {
    fn from(error: BodyError) -> Self {
        match error {
            BodyError::TooLarge => Self::TooLarge,
            BodyError::TimedOut(_) => Self::TimedOut,
            BodyError::Unreadable(e) => {
                Self::BadRequest(format!("The body could not be read: {e}."))
            }
        }
    }
}

impl<'r> Responder<'r, 'static> for ApiError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        match self {
            Self::Invalid(errors) => {
                (Status::UnprocessableEntity, Json(errors)).respond_to(request)
            }
            Self::NotFound => error(Status::NotFound, None).respond_to(request),
            Self::BadRequest(message) => {
                error(Status::BadRequest, Some(message)).respond_to(request)
            }
            Self::TooLarge => error(
                Status::PayloadTooLarge,
                Some("The body is larger than this API accepts.".into()),
            )
            .respond_to(request),
            Self::TimedOut => error(
                Status::RequestTimeout,
                Some("The body did not arrive in time; send it again.".into()),
            )
            .respond_to(request),
            Self::NotJson => error(
                Status::UnsupportedMediaType,
                Some("Send the body as JSON, with `Content-Type: application/json`.".into()),
            )
            .respond_to(request),
            Self::Conflict(current) => {
                let message = format!(
                    "Someone else changed this person; it is now at version {}. Send your change \
                     again with that version to replace theirs.",
                    current.version
                );
                let body = ConflictJson {
                    error: "conflict",
                    message,
                    current,
                };
                (Status::Conflict, Json(body)).respond_to(request)
            }
            Self::MethodNotAllowed(allowed) => error(
                Status::MethodNotAllowed,
                Some(format!("This address answers {allowed}.")),
            )
            .respond_to(request),
            Self::VersionRequired => error(
                Status::PreconditionRequired,
                Some(
                    "Send the version you read: a \"version\" field or an If-Match header.".into(),
                ),
            )
            .respond_to(request),
            Self::File(e) => error(e.status(), Some(e.to_string())).respond_to(request),
            Self::NotCsv => error(
                Status::UnsupportedMediaType,
                Some("Send the file as CSV, with `Content-Type: text/csv`.".into()),
            )
            .respond_to(request),
            Self::ImportConflict => error(
                Status::Conflict,
                Some(
                    "A name in the file was taken while it was being imported; nothing was \
                     imported. Send the file again to see what it would add now."
                        .into(),
                ),
            )
            .respond_to(request),
            Self::Gone { restore } => error(
                Status::Gone,
                Some(format!(
                    "This person is in the trash. POST {restore} to restore them."
                )),
            )
            .respond_to(request),
            Self::Refused(status, message) => error(status, Some(message)).respond_to(request),
            Self::Server(e) => {
                e.log(request);
                let message = matches!(e.cause(), AppError::TooSlow(_)).then(|| {
                    "This request took too long and was stopped; try again in a moment.".into()
                });
                error(e.status(), message).respond_to(request)
            }
        }
    }
}

/// `(status, {"error": ..., "message": ...})`: also what the `/api` catcher answers.
pub fn error(status: Status, message: Option<String>) -> (Status, Json<ErrorJson>) {
    let body = ErrorJson::for_status(status);
    let body = match message {
        Some(message) => body.with_message(message),
        None => body,
    };
    (status, Json(body))
}

/// A 409's body: what the person is now, so the client can merge and send that version.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Conflict)]
pub struct ConflictJson {
    /// Always `conflict`.
    #[schema(example = "conflict")]
    pub error: &'static str,
    pub message: String,
    pub current: PersonJson,
}

/// A 422's body: messages by field, `{"errors": {"name": ["Enter a name."]}}`. A header the
/// request cannot be honoured with (`Idempotency-Key`) is reported by its name the same way.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"errors": {"name": ["Ada Lovelace is already taken."]}}))]
pub struct FieldErrors {
    pub errors: BTreeMap<&'static str, Vec<String>>,
}

impl FieldErrors {
    pub fn one(field: &'static str, message: String) -> Self {
        Self {
            errors: BTreeMap::from([(field, vec![message])]),
        }
    }
}

/// Every other error's body: `{"error": "not found"}`, the status's reason in lower case,
/// with a `message` when there is more to say.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error, example = json!({"error": "bad request", "message": "If-Match must be one ETag this API sent, such as \"3\"; got *."}))]
pub struct ErrorJson {
    /// The status's reason phrase in lower case: `not found`, `bad request`, ...
    pub error: String,
    /// What to change, when there is more to say than the status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl ErrorJson {
    pub fn for_status(status: Status) -> Self {
        Self {
            error: status.reason_lossy().to_lowercase(),
            message: None,
        }
    }

    pub fn with_message(self, message: String) -> Self {
        Self {
            message: Some(message),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_their_status() {
        let json = serde_json::to_value(ErrorJson::for_status(Status::NotFound)).unwrap();
        assert_eq!(json, serde_json::json!({"error": "not found"}));
    }
}
