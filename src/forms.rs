//! What the HTML forms post. Kept apart from the rows: a form holds parsed input, a row holds
//! what the database stored.

use rocket::form::{self, FromFormField, ValueField};

use crate::person_name::PersonName;

/// The create and edit forms. The name is parsed into a `PersonName` while the form is
/// parsed, so a handler that has a `PersonForm` has a valid name.
#[derive(Debug, rocket::FromForm)]
pub struct PersonForm {
    pub name: PersonName,
}

impl<'v> FromFormField<'v> for PersonName {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        PersonName::parse(field.value).map_err(|e| form::Error::validation(e.to_string()).into())
    }
}
