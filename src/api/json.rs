//! The JSON the API speaks. Kept apart from the rows: what is stored can change (a version
//! column, say) without changing what clients see, and the other way round.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use rocket::data::{self, Data, FromData};
use rocket::http::Status;
use rocket::request::Request;

use super::error::{ApiError, FieldErrors};
use crate::forms::read_body;
use crate::models::Person;
use crate::person_name::{NameError, PersonName};

/// One person: `{"id": 1, "name": "Ada Lovelace", "version": 1}`. Send `version` back with
/// an update (or as `If-Match`), so that an update made in between is not overwritten.
#[derive(Debug, Serialize)]
pub struct PersonJson {
    pub id: i32,
    pub name: String,
    pub version: i32,
}

impl From<Person> for PersonJson {
    fn from(person: Person) -> Self {
        Self {
            id: person.id,
            name: person.name,
            version: person.version,
        }
    }
}

impl PersonJson {
    /// The strong entity tag of this version of the person, for `ETag` and `If-Match`.
    pub fn etag(&self) -> String {
        format!("\"{}\"", self.version)
    }
}

/// A page of the list, with the links to the neighbouring pages (`null` at either end).
#[derive(Debug, Serialize)]
pub struct PeopleJson {
    pub people: Vec<PersonJson>,
    pub next: Option<String>,
    pub prev: Option<String>,
}

/// What creating and updating accept: `{"name": "...", "version": 3}` (the version only
/// when updating). Read field by field, so that anything but a JSON object, an unknown field
/// or a field sent twice is refused as a bad body, while a missing or non-string name is a
/// 422 on `name`, as the forms report it.
#[derive(Debug, Default)]
pub struct PersonInput {
    name: Option<Value>,
    version: Option<Value>,
}

const FIELDS: &[&str] = &["name", "version"];

impl<'de> Deserialize<'de> for PersonInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;

        impl<'de> Visitor<'de> for Fields {
            type Value = PersonInput;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object such as {\"name\": \"Ada Lovelace\"}")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PersonInput, A::Error> {
                let mut input = PersonInput::default();
                while let Some(key) = map.next_key::<String>()? {
                    let (field, slot) = match key.as_str() {
                        "name" => ("name", &mut input.name),
                        "version" => ("version", &mut input.version),
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    };
                    if slot.is_some() {
                        return Err(de::Error::duplicate_field(field));
                    }
                    *slot = Some(map.next_value()?);
                }
                Ok(input)
            }
        }

        deserializer.deserialize_map(Fields)
    }
}

/// The API's data guard: the body read as `forms::read_body` reads forms (the `json` limit,
/// `body_timeout`), then parsed. A handler takes `Result<PersonInput, ApiError>` and answers
/// the error itself, as JSON.
#[rocket::async_trait]
impl<'r> FromData<'r> for PersonInput {
    type Error = ApiError;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let parsed = match read_body(request, data, "json").await {
            Ok(body) => serde_json::from_str(&body).map_err(|e| {
                ApiError::BadRequest(format!(
                    "Send a JSON object such as {{\"name\": \"Ada Lovelace\"}}; this body is not one: {e}."
                ))
            }),
            Err(e) => Err(ApiError::from(e)),
        };
        match parsed {
            Ok(input) => data::Outcome::Success(input),
            Err(e) => data::Outcome::Error((Status::BadRequest, e)),
        }
    }
}

impl PersonInput {
    /// The name, parsed by the rules (and with the messages) the forms use.
    pub fn name(&self) -> Result<PersonName, FieldErrors> {
        let parsed = match &self.name {
            None | Some(Value::Null) => Err(NameError::Empty.to_string()),
            Some(Value::String(name)) => PersonName::parse(name).map_err(|e| e.to_string()),
            Some(_) => Err("Send the name as a JSON string.".to_owned()),
        };
        parsed.map_err(|message| FieldErrors::one("name", message))
    }

    /// The version the client read, if it sent one.
    pub fn version(&self) -> Result<Option<i32>, FieldErrors> {
        let Some(value) = &self.version else {
            return Ok(None);
        };
        value
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| {
                FieldErrors::one(
                    "version",
                    "Send the version you read, as a whole number.".into(),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(body: &str) -> Result<String, serde_json::Value> {
        let input: PersonInput = serde_json::from_str(body).expect("a JSON object");
        input
            .name()
            .map(|name| name.to_string())
            .map_err(|errors| serde_json::to_value(errors).unwrap())
    }

    #[test]
    fn a_valid_name_is_parsed_like_the_forms_do() {
        assert_eq!(name_of(r#"{"name": "  Ada  "}"#), Ok("Ada".into()));
        assert_eq!(
            name_of(r#"{"name": "Ada", "version": 3}"#),
            Ok("Ada".into())
        );
    }

    #[test]
    fn unknown_and_repeated_fields_are_refused() {
        for body in [
            r#"{"name": "Ada", "age": 36}"#,
            r#"{"name": "Ada", "name": "Eve"}"#,
        ] {
            assert!(serde_json::from_str::<PersonInput>(body).is_err(), "{body}");
        }
    }

    #[test]
    fn the_version_is_a_whole_number_when_sent() {
        let version = |body: &str| {
            serde_json::from_str::<PersonInput>(body)
                .unwrap()
                .version()
                .is_ok()
        };
        assert!(version(r#"{"version": 3}"#));
        assert!(version(r#"{}"#));
        for bad in [
            r#"{"version": "3"}"#,
            r#"{"version": 1.5}"#,
            r#"{"version": 99999999999}"#,
        ] {
            assert!(!version(bad), "{bad}");
        }
    }

    #[test]
    fn a_missing_or_wrong_name_is_a_field_error() {
        let error = |message: &str| Err(serde_json::json!({"errors": {"name": [message]}}));
        assert_eq!(name_of("{}"), error("Enter a name."));
        assert_eq!(name_of(r#"{"name": null}"#), error("Enter a name."));
        assert_eq!(name_of(r#"{"name": " "}"#), error("Enter a name."));
        assert_eq!(
            name_of(r#"{"name": 7}"#),
            error("Send the name as a JSON string.")
        );
    }

    #[test]
    fn only_an_object_is_accepted() {
        for body in [r#"["Ada"]"#, r#""Ada""#, "7", "null"] {
            assert!(serde_json::from_str::<PersonInput>(body).is_err(), "{body}");
        }
    }
}
