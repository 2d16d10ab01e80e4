//! Rows and their queries. Every query returns `QueryResult` and runs on both backends; a
//! save answers with its outcome (`Created`, `Updated`, `Imported`), so callers never inspect
//! database errors. `list` holds everything about reading people a page (or, for the export,
//! a batch) at a time; `details` what the person page adds; `import` a CSV import's queries.

mod details;
mod import;
pub mod list;
mod person;

pub use details::PersonDetails;
pub use import::{Imported, plan as plan_import};
pub use person::{Created, NewPerson, Person, PersonChanges, Updated};
