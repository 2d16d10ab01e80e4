//! Reading a request body, for the forms (`Protected`) and the API's JSON alike: within the
//! size limit Rocket is configured with, and within `body_timeout`, because Rocket 0.5 waits
//! for a body as long as the client likes. Handlers read the body before they take a database
//! connection, so a client trickling its body holds only its own socket.

use std::time::Duration;

use rocket::data::{ByteUnit, Data, Limits};
use rocket::figment::Figment;
use rocket::request::Request;
use rocket::tokio::time::timeout;

/// `body_timeout` when unset, in seconds: a form or a JSON body of a few KiB takes a
/// fraction of a second even on a poor mobile connection.
pub const DEFAULT_BODY_TIMEOUT: f64 = 10.0;

/// How long a client may take to send its whole body (`body_timeout`, in seconds), kept in
/// Rocket's managed state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BodyTimeout(pub Duration);

impl BodyTimeout {
    pub fn from_figment(figment: &Figment) -> Result<Self, String> {
        let seconds = match figment.extract_inner::<f64>("body_timeout") {
            Ok(seconds) => seconds,
            Err(e) if e.missing() => DEFAULT_BODY_TIMEOUT,
            Err(e) => return Err(format!("body_timeout: {e}")),
        };
        Duration::try_from_secs_f64(seconds)
            .ok()
            .filter(|timeout| !timeout.is_zero())
            .map(Self)
            .ok_or_else(|| {
                format!("body_timeout must be a positive number of seconds, not {seconds}")
            })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("the body is larger than the configured limit")]
    TooLarge,
    #[error("the body was not sent within body_timeout ({0:?})")]
    TimedOut(Duration),
    #[error("the body could not be read: {0}")]
    Unreadable(std::io::Error),
}

/// The whole body as text, at most the `limit` named (`form`, `json`) in `Rocket.toml`.
pub async fn read_body(
    request: &Request<'_>,
    data: Data<'_>,
    limit: &str,
) -> Result<String, BodyError> {
    let limit = request.limits().get(limit).unwrap_or(Limits::FORM);
    let allowed = request
        .rocket()
        .state::<BodyTimeout>()
        .copied()
        .unwrap_or(BodyTimeout(Duration::from_secs_f64(DEFAULT_BODY_TIMEOUT)));
    let bytes = read_bytes(allowed, data, limit).await?;
    String::from_utf8(bytes)
        .map_err(|e| BodyError::Unreadable(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// The body as bytes, at most `limit` of them, within `body_timeout`: for bodies that are not
/// necessarily text (an uploaded CSV file says itself whether it is UTF-8).
pub async fn read_bytes(
    BodyTimeout(allowed): BodyTimeout,
    data: Data<'_>,
    limit: ByteUnit,
) -> Result<Vec<u8>, BodyError> {
    let body = timeout(allowed, data.open(limit).into_bytes())
        .await
        .map_err(|_| BodyError::TimedOut(allowed))?
        .map_err(BodyError::Unreadable)?;
    if !body.is_complete() {
        return Err(BodyError::TooLarge);
    }
    Ok(body.into_inner())
}
