//! The JSON the API speaks. Kept apart from the rows: what is stored can change (a version
//! column, say) without changing what clients see, and the other way round.

use std::collections::BTreeMap;

use rocket::http::Status;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::models::Person;
use crate::person_name::{NameError, PersonName};

/// One person: `{"id": 1, "name": "Ada Lovelace"}`.
#[derive(Debug, Serialize)]
pub struct PersonJson {
    pub id: i32,
    pub name: String,
}

impl From<Person> for PersonJson {
    fn from(person: Person) -> Self {
        Self {
            id: person.id,
            name: person.name,
        }
    }
}

/// A page of the list, with the links to the neighbouring pages (`null` at either end).
#[derive(Debug, Serialize)]
pub struct PeopleJson {
    pub people: Vec<PersonJson>,
    pub next: Option<String>,
    pub prev: Option<String>,
}

/// What creating and updating accept: `{"name": "..."}`. Other fields are ignored. Read
/// through a JSON object (serde would otherwise also take `["Ada"]` for this struct), with
/// the name kept as any JSON value so that a missing or non-string name is a 422 on the
/// `name` field, as the forms report it, instead of a parse error about the whole body.
#[derive(Debug, Deserialize)]
#[serde(from = "Map<String, Value>")]
pub struct PersonInput {
    name: Option<Value>,
}

impl From<Map<String, Value>> for PersonInput {
    fn from(mut object: Map<String, Value>) -> Self {
        Self {
            name: object.remove("name"),
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
        assert_eq!(name_of(r#"{"name": "Ada", "age": 36}"#), Ok("Ada".into()));
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

    #[test]
    fn errors_name_their_status() {
        let json = serde_json::to_value(ErrorJson::for_status(Status::NotFound)).unwrap();
        assert_eq!(json, serde_json::json!({"error": "not found"}));
    }
}
