//! The API's errors: the same causes as the pages' [`AppError`] and the API's own refusals,
//! answered as JSON bodies (`{"error": ...}`, `{"errors": {field: [...]}}`, a 409 with the
//! person as it is now).

use std::collections::BTreeMap;
use std::io;

use diesel::result::Error as DieselError;
use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};
use rocket::serde::json::{self, Json};

use serde::Serialize;

use super::json::PersonJson;
use crate::csv_file::FileError;
use crate::error::AppError;

/// What API handlers return.
#[derive(Debug)]
pub enum ApiError {
    NotFound,
    /// 422: the body was read, and a field's value is refused.
    Invalid(FieldErrors),
    /// 400, saying what to change.
    BadRequest(String),
    TooLarge,
    /// 415: the body was not sent as `application/json`.
    NotJson,
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
    /// The database failed or is away (500, 503); logged, and not detailed to the client.
    Server(AppError),
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound => Self::NotFound,
            AppError::BadRequest(message) => Self::BadRequest(message),
            error => Self::Server(error),
        }
    }
}

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        AppError::from(error).into()
    }
}

/// Rocket's reasons for refusing a JSON body, in the words a client can act on.
impl From<json::Error<'_>> for ApiError {
    fn from(error: json::Error<'_>) -> Self {
        match error {
            // Rocket's way of saying the body was cut at the `json` limit.
            json::Error::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => Self::TooLarge,
            json::Error::Io(e) => Self::BadRequest(format!("The body could not be read: {e}.")),
            json::Error::Parse(_, e) => Self::BadRequest(format!(
                "Send a JSON object such as {{\"name\": \"Ada Lovelace\"}}; this body is not one: {e}."
            )),
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
            Self::Server(e) => {
                e.log(request);
                error(e.status(), None).respond_to(request)
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
#[derive(Debug, Serialize)]
pub struct ConflictJson {
    pub error: &'static str,
    pub message: String,
    pub current: PersonJson,
}

/// A 422's body: messages by field, `{"errors": {"name": ["Enter a name."]}}`.
#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
pub struct ErrorJson {
    pub error: String,
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
