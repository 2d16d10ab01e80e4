//! Rows and their queries. Every query returns `QueryResult` and runs on both backends; a
//! save answers with its outcome (`Created`, `Updated`, `Imported`), so callers never inspect
//! database errors. `list` holds everything about reading people a page (or, for the export,
//! a batch) at a time; `details` what the person page adds; `import` a CSV import's queries;
//! `legacy_keys` the upgrade steps SQL cannot do (the migrations run them,
//! `db::DataMigration`).

mod details;
mod import;
mod legacy_keys;
pub mod list;
mod person;

pub use details::PersonDetails;
pub use import::{Imported, plan as plan_import};
pub use legacy_keys::DATA_MIGRATIONS;
pub use person::{Created, KeyLifetime, NewPerson, OneTimeKey, Person, PersonChanges, Updated};
