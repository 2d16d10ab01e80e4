//! Rows and their queries. Every query returns `QueryResult` and runs on both backends.

mod person;
mod person_page;
mod search;

pub use person::{NewPerson, Person, PersonChanges, Updated, is_unique_violation};
pub use person_page::{Key, ListQuery, MatchCount, PerPage, PersonPage, Position, Sort};
