//! What the HTML forms post. Kept apart from the rows: a form holds parsed input, a row holds
//! what the database stored.

mod person;
mod protected;

pub use person::{CreationKey, EditPersonForm, NewPersonForm};
pub use protected::{FormRefusal, KnownFields, NoFields, Protected};
