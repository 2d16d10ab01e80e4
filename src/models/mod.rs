//! Rows and their queries. Every query returns `QueryResult` and runs on both backends.

mod person;

pub use person::{NewPerson, Person, PersonChanges, Updated, is_unique_violation};
