use rocket::form::{self, FromFormField, ValueField};

use super::KnownFields;
use crate::person_name::PersonName;

/// The create form. Parsing it parses the name, so a handler holding one has a valid name.
#[derive(Debug, rocket::FromForm)]
pub struct NewPersonForm {
    pub name: PersonName,
    /// Absent from forms rendered before it existed and from scripted posts: then a double
    /// submit cannot be recognised, and the second is refused as a taken name.
    pub creation_key: Option<CreationKey>,
}

impl KnownFields for NewPersonForm {
    const FIELDS: &'static [&'static str] = &["name", "creation_key"];
}

/// The edit form: the name, and the version of the person the form was rendered from.
#[derive(Debug, rocket::FromForm)]
pub struct EditPersonForm {
    pub name: PersonName,
    pub version: i32,
}

impl KnownFields for EditPersonForm {
    const FIELDS: &'static [&'static str] = &["name", "version"];
}

impl<'v> FromFormField<'v> for PersonName {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        PersonName::parse(field.value).map_err(|e| form::Error::validation(e.to_string()).into())
    }
}

/// The one-time key a create form carries, so that submitting it twice creates one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreationKey(String);

impl CreationKey {
    pub fn new() -> Self {
        Self(crate::csrf::random_hex::<16>())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for CreationKey {
    fn default() -> Self {
        Self::new()
    }
}

impl<'v> FromFormField<'v> for CreationKey {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        let key = field.value;
        if key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(key.to_ascii_lowercase()))
        } else {
            Err(form::Error::validation("not a form key").into())
        }
    }
}
