//! Rows and their queries. Every query returns `QueryResult` and runs on both backends; a
//! save answers with its outcome (`Created`, `Updated`, `Imported`), so callers never inspect
//! database errors. `list` holds everything about reading people a page (or, for the export,
//! a batch) at a time; `details` what the person page adds; `trash` the
//! trash (delete, restore, purge) and `history` each person's changes; `import` a CSV import's queries;
//! `legacy_keys` the upgrade steps SQL cannot do (the migrations run them,
//! `db::DataMigration`).

mod details;
mod history;
mod import;
mod legacy_keys;
pub mod list;
mod person;
mod trash;

pub use details::PersonDetails;
pub use history::{EventKind, HISTORY_SHOWN, HistoryEntry};
pub use import::{Imported, plan as plan_import};
pub use legacy_keys::DATA_MIGRATIONS;
pub use person::{Created, KeyLifetime, NewPerson, OneTimeKey, Person, PersonChanges, Updated};
pub use trash::{MAX_SELECTED, Restored, TrashedPerson};
