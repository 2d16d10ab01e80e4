use rocket::form::{self, FromFormField, ValueField};

use super::protected::KnownFields;
use super::random_key::random_hex;
use crate::person_name::PersonName;

/// The create form. Parsing it parses the name, so a handler holding one has a valid name.
#[derive(Debug, rocket::FromForm)]
pub struct NewPersonForm {
    pub name: PersonName,
    pub creation_key: FormCreationKey,
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

/// The people chosen on the list (a checkbox each) or named by an Undo: one `id` field per
/// person. At most `models::MAX_SELECTED` are taken (the handler refuses more).
#[derive(Debug, rocket::FromForm)]
pub struct SelectedForm {
    pub id: Vec<i32>,
}

impl KnownFields for SelectedForm {
    const FIELDS: &'static [&'static str] = &["id"];
    const REPEATABLE: &'static [&'static str] = &["id"];
}

/// Restoring from the trash under another name (the old one was taken meanwhile). The form
/// shares the add and edit forms' markup, hidden version field included; the version is
/// not needed (a person in the trash cannot change), and not read.
#[derive(Debug, rocket::FromForm)]
pub struct RestoreAsForm {
    pub name: PersonName,
}

impl KnownFields for RestoreAsForm {
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
        Self(random_hex::<16>())
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

/// The create form's key field. Absent from scripted posts (then a double submit cannot be
/// recognised, and the second is refused as a taken name); malformed is an error, where
/// Rocket's `Option` would quietly read it as absent.
#[derive(Debug)]
pub struct FormCreationKey(Option<CreationKey>);

impl FormCreationKey {
    pub fn as_str(&self) -> Option<&str> {
        self.0.as_ref().map(CreationKey::as_str)
    }
}

impl<'v> FromFormField<'v> for FormCreationKey {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        let key = field.value;
        if key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(Some(CreationKey(key.to_ascii_lowercase()))))
        } else {
            Err(form::Error::validation("not a form key").into())
        }
    }

    fn default() -> Option<Self> {
        Some(Self(None))
    }
}
