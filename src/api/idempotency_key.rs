//! `Idempotency-Key: <key>` on `POST /api/people` (the IETF httpapi draft, as Stripe and others
//! use it): a client that sends a create again with the same key, after a timeout say, gets
//! the first answer instead of a second person. The key is kept as the person's creation key,
//! the one-time key the add form carries (`models::OneTimeKey`), so both share one mechanism.

use std::convert::Infallible;

use rocket::request::{FromRequest, Outcome, Request};
use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

use super::error::{ApiError, FieldErrors};
use crate::models::Person;

pub const HEADER: &str = "Idempotency-Key";

/// Long enough for any UUID, ULID or hash a client makes keys from.
const MAX_CHARS: usize = 255;
/// Printable ASCII, spaces included: what a header value can carry unchanged.
const PATTERN: &str = r"^[\x20-\x7E]+$";

/// The header as sent: absent, a key, or something we refuse (the message says why).
pub struct IdempotencyKey(Result<Option<String>, String>);

impl IdempotencyKey {
    pub fn parse(header: &str) -> Result<String, String> {
        let fits = (1..=MAX_CHARS).contains(&header.len())
            && header.bytes().all(|b| (0x20..=0x7E).contains(&b));
        if fits {
            Ok(header.to_owned())
        } else {
            Err(format!(
                "{HEADER} must be 1 to {MAX_CHARS} printable ASCII characters, such as a UUID."
            ))
        }
    }

    /// The key, if one was sent; a 400 if it cannot be one.
    pub fn value(&self) -> Result<Option<&str>, ApiError> {
        match &self.0 {
            Ok(key) => Ok(key.as_deref()),
            Err(message) => Err(ApiError::BadRequest(message.clone())),
        }
    }

    /// The 422 for a key that already created `first` from another body.
    pub fn reused(first: &Person) -> ApiError {
        ApiError::Invalid(FieldErrors::one(
            HEADER,
            format!(
                "This key was already used for another request, which added the person at \
                 /api/people/{}. Send each new request with a new key.",
                first.id
            ),
        ))
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for IdempotencyKey {
    type Error = Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Infallible> {
        let key = request
            .headers()
            .get_one(HEADER)
            .map(Self::parse)
            .transpose();
        Outcome::Success(Self(key))
    }
}

/// The header in the OpenAPI document, from the same limits `parse` applies.
impl IntoParams for IdempotencyKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let schema = ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(MAX_CHARS))
            .pattern(Some(PATTERN));
        vec![
            ParameterBuilder::new()
                .name(HEADER)
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "A key the client makes for this one request (a UUID, say). Sent again \
                     with the same body within the key's lifetime (24 hours by default), the \
                     request is answered as the first time, without adding anyone again; \
                     with another body, 422. The key lives with the person it added: \
                     deleting the person frees it.",
                ))
                .schema(Some(schema))
                .build(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii_up_to_255_characters_is_a_key() {
        for key in [
            "a",
            "8e03978e-40d5-43e8-bc93-6894a57f9324",
            "\"quoted key\"",
        ] {
            assert_eq!(IdempotencyKey::parse(key).as_deref(), Ok(key));
        }
        assert!(IdempotencyKey::parse(&"k".repeat(255)).is_ok());
    }

    #[test]
    fn anything_else_is_refused() {
        for key in ["", "clé", "tab\there", &"k".repeat(256)] {
            assert!(IdempotencyKey::parse(key).is_err(), "{key:?}");
        }
    }

    #[test]
    fn the_documented_pattern_says_the_same() {
        let pattern = regex::Regex::new(PATTERN).expect("a valid pattern");
        for byte in 0..=0xFFu8 {
            let text = String::from(char::from(byte));
            assert_eq!(
                pattern.is_match(&text),
                IdempotencyKey::parse(&text).is_ok(),
                "{byte:#x}"
            );
        }
    }
}
