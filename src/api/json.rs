//! The JSON the API speaks. Kept apart from the rows: what is stored can change (a version
//! column, say) without changing what clients see, and the other way round.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use rocket::data::{self, Data, FromData};
use rocket::http::Status;
use rocket::request::Request;

use super::error::{ApiError, FieldErrors};
use crate::forms::read_body;
use crate::models::Person;
use crate::person_name::{NameError, PersonName, SCHEMA_PATTERN};

/// One person: `{"id": 1, "name": "Ada Lovelace", "version": 1}`. Send `version` back with
/// an update (or as `If-Match`), so that an update made in between is not overwritten.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Person, example = json!({"id": 1, "name": "Ada Lovelace", "version": 1}))]
pub struct PersonJson {
    pub id: i32,
    /// Trimmed, inner whitespace collapsed, Unicode NFC; 1 to 80 characters.
    pub name: String,
    /// Starts at 1 and goes up by one with every update; also the person's `ETag`.
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
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = People)]
pub struct PeopleJson {
    pub people: Vec<PersonJson>,
    /// The next page's address (same search, sort and page size), or `null` on the last page.
    pub next: Option<String>,
    /// The previous page's address, or `null` on the first page.
    pub prev: Option<String>,
}

/// What creating accepts: `{"name": "Ada Lovelace"}`.
// Read field by field (`read_object`); `deny_unknown_fields` only tells the schema
// (`additionalProperties: false`), as there is no derived `Deserialize` here.
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewPerson, example = json!({"name": "Ada Lovelace"}))]
pub struct NewPersonInput {
    #[schema(schema_with = name_schema, required = true)]
    name: Option<Value>,
}

/// What updating accepts: `{"name": "Ada King", "version": 1}`, the version being the one the
/// client read (or sent as `If-Match` instead).
// As `NewPersonInput`.
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PersonUpdate, example = json!({"name": "Ada King", "version": 1}))]
pub struct PersonUpdateInput {
    #[schema(schema_with = name_schema, required = true)]
    name: Option<Value>,
    /// The version read; required unless `If-Match` carries it.
    #[schema(value_type = i32, required = false)]
    version: Option<Value>,
}

/// The name's rules as far as JSON Schema can say them: the length and the characters, of
/// the text as sent (`PersonName::parse_as_sent`, which the API uses, refuses the same).
fn name_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(PersonName::MAX_CHARS))
        .pattern(Some(SCHEMA_PATTERN))
        .description(Some(
            "Trimmed, runs of spaces made one and normalised to Unicode NFC before it is saved. \
             Unique regardless of case. Blank names are refused (422).",
        ))
        .build()
}

impl<'de> Deserialize<'de> for NewPersonInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let [name] = read_object(deserializer, &["name"])?;
        Ok(Self { name })
    }
}

impl<'de> Deserialize<'de> for PersonUpdateInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let [name, version] = read_object(deserializer, &["name", "version"])?;
        Ok(Self { name, version })
    }
}

/// A JSON object with no field but `fields`, each at most once, read as raw values: anything
/// but an object, an unknown field or a field sent twice is a bad body (400), while a value
/// of the wrong kind is left for the field's own check, a 422 on that field as the forms
/// report it.
fn read_object<'de, D: Deserializer<'de>, const N: usize>(
    deserializer: D,
    fields: &'static [&'static str; N],
) -> Result<[Option<Value>; N], D::Error> {
    struct Fields<const N: usize>(&'static [&'static str; N]);

    impl<'de, const N: usize> Visitor<'de> for Fields<N> {
        type Value = [Option<Value>; N];

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object such as {\"name\": \"Ada Lovelace\"}")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut values = [const { None }; N];
            while let Some(key) = map.next_key::<String>()? {
                let Some(at) = self.0.iter().position(|field| *field == key) else {
                    return Err(de::Error::unknown_field(&key, self.0));
                };
                if values[at].is_some() {
                    return Err(de::Error::duplicate_field(self.0[at]));
                }
                values[at] = Some(map.next_value()?);
            }
            Ok(values)
        }
    }

    deserializer.deserialize_map(Fields(fields))
}

/// The API's data guard: the body read as `forms::read_body` reads forms (the `json` limit,
/// `body_timeout`), then parsed, before any connection is taken. A handler takes
/// `Result<ApiBody<T>, ApiError>` and answers the error itself, as JSON.
pub struct ApiBody<T>(pub T);

#[rocket::async_trait]
impl<'r, T: serde::de::DeserializeOwned + Send> FromData<'r> for ApiBody<T> {
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
            Ok(input) => data::Outcome::Success(ApiBody(input)),
            Err(e) => data::Outcome::Error((Status::BadRequest, e)),
        }
    }
}

impl NewPersonInput {
    /// The name, parsed by the rules (and with the messages) the forms use.
    pub fn name(&self) -> Result<PersonName, FieldErrors> {
        parse_name(self.name.as_ref())
    }
}

impl PersonUpdateInput {
    pub fn name(&self) -> Result<PersonName, FieldErrors> {
        parse_name(self.name.as_ref())
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

fn parse_name(value: Option<&Value>) -> Result<PersonName, FieldErrors> {
    let parsed = match value {
        None | Some(Value::Null) => Err(NameError::Empty.to_string()),
        Some(Value::String(name)) => PersonName::parse_as_sent(name).map_err(|e| e.to_string()),
        Some(_) => Err("Send the name as a JSON string.".to_owned()),
    };
    parsed.map_err(|message| FieldErrors::one("name", message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(body: &str) -> Result<String, serde_json::Value> {
        let input: PersonUpdateInput = serde_json::from_str(body).expect("a JSON object");
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
            assert!(
                serde_json::from_str::<PersonUpdateInput>(body).is_err(),
                "{body}"
            );
        }
    }

    #[test]
    fn a_create_has_no_version() {
        assert!(serde_json::from_str::<NewPersonInput>(r#"{"name": "Ada"}"#).is_ok());
        assert!(
            serde_json::from_str::<NewPersonInput>(r#"{"name": "Ada", "version": 1}"#).is_err()
        );
    }

    #[test]
    fn the_version_is_a_whole_number_when_sent() {
        let version = |body: &str| {
            serde_json::from_str::<PersonUpdateInput>(body)
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
        // The forms tidy a pasted tab into a space; the API's schema says no control characters.
        assert_eq!(
            name_of(r#"{"name": "Ada\tLovelace"}"#),
            error("Names cannot contain invisible control characters.")
        );
    }

    #[test]
    fn only_an_object_is_accepted() {
        for body in [r#"["Ada"]"#, r#""Ada""#, "7", "null"] {
            assert!(
                serde_json::from_str::<NewPersonInput>(body).is_err(),
                "{body}"
            );
            assert!(
                serde_json::from_str::<PersonUpdateInput>(body).is_err(),
                "{body}"
            );
        }
    }
}

/// A person in the trash.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TrashedPerson, example = json!({"id": 1, "name": "Ada Lovelace", "version": 2, "deleted_at": "2026-11-25T14:02:09Z"}))]
pub struct TrashedJson {
    pub id: i32,
    pub name: String,
    /// The version they had when deleted; restoring gives them the next one.
    pub version: i32,
    /// When they were deleted (UTC, RFC 3339).
    pub deleted_at: String,
    /// Where to `POST` to restore them.
    pub restore: String,
}

impl From<crate::models::TrashedPerson> for TrashedJson {
    fn from(person: crate::models::TrashedPerson) -> Self {
        Self {
            restore: format!("/api/people/{}/restore", person.id),
            id: person.id,
            name: person.name,
            version: person.version,
            deleted_at: rfc3339(person.deleted_at),
        }
    }
}

/// A page of the trash, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Trash)]
pub struct TrashJson {
    pub people: Vec<TrashedJson>,
    /// The next page's address, or `null` on the last page.
    pub next: Option<String>,
    /// The previous page's address, or `null` on the first page.
    pub prev: Option<String>,
}

/// One change to a person.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = HistoryEntry, example = json!({"kind": "rename", "name_before": "Ada Byron", "name_after": "Ada Lovelace", "version": 2, "at": "2026-11-25T14:02:09Z"}))]
pub struct HistoryEntryJson {
    /// `create`, `rename`, `delete` (to the trash) or `restore`.
    pub kind: &'static str,
    /// `null` for a create.
    pub name_before: Option<String>,
    /// `null` for a delete.
    pub name_after: Option<String>,
    /// The version the change made (for a delete, the version deleted).
    pub version: i32,
    /// When (UTC, RFC 3339).
    pub at: String,
}

impl From<&crate::models::HistoryEntry> for HistoryEntryJson {
    fn from(entry: &crate::models::HistoryEntry) -> Self {
        Self {
            kind: entry.kind().as_str(),
            name_before: entry.name_before.clone(),
            name_after: entry.name_after.clone(),
            version: entry.version,
            at: rfc3339(entry.at),
        }
    }
}

/// A person's history, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = History)]
pub struct HistoryJson {
    pub history: Vec<HistoryEntryJson>,
}

/// `2026-11-25T14:02:09Z`.
fn rfc3339(at: time::PrimitiveDateTime) -> String {
    let date = at.date();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year(),
        u8::from(date.month()),
        date.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}
