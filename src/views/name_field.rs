//! The name input as the add and edit forms show it.

use rocket::form::{self, Context, error::ErrorKind};

use crate::person_name::{NameError, PersonName};

/// The name input as the form shows it: what the user typed, and the message beside it.
pub struct NameField {
    pub value: String,
    pub error: Option<String>,
}

impl NameField {
    pub fn blank() -> Self {
        Self {
            value: String::new(),
            error: None,
        }
    }

    pub fn prefilled(name: &str) -> Self {
        Self {
            value: name.to_owned(),
            error: None,
        }
    }

    /// A refused form, redisplayed with the raw input the user sent.
    pub fn from_refused(context: &Context<'_>) -> Self {
        let error = context
            .field_errors("name")
            .next()
            .or_else(|| context.errors().next())
            .map_or_else(|| NameError::Empty.to_string(), message);
        let value = context.field_value("name").unwrap_or_default().to_owned();
        Self {
            value,
            error: Some(error),
        }
    }

    /// A create form sent again after its key created `earlier` (the page was reused with
    /// another name typed in): nothing was saved, and sending it once more adds `name`.
    pub fn key_spent(name: &PersonName, earlier: &str) -> Self {
        Self {
            value: name.to_string(),
            error: Some(format!(
                "This form was already used to add {earlier}, so {name} was not added. \
                 Press Add person to add {name}."
            )),
        }
    }

    pub fn taken(name: &PersonName) -> Self {
        Self {
            value: name.to_string(),
            error: Some(name.taken_message()),
        }
    }
}

fn message(error: &form::Error<'_>) -> String {
    match &error.kind {
        ErrorKind::Missing => NameError::Empty.to_string(),
        ErrorKind::Validation(message) => message.to_string(),
        other => format!("The name could not be read: {other}."),
    }
}
