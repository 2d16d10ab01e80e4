//! Rows and their queries. Every query returns `QueryResult` and runs on both backends; a
//! save answers with its outcome (`Created`, `Updated`), so callers never inspect database
//! errors. `list` holds everything about reading people a page at a time; `legacy_keys`
//! the upgrade steps SQL cannot do (the migrations run them, `db::DataMigration`).

mod legacy_keys;
pub mod list;
mod person;

pub use legacy_keys::DATA_MIGRATIONS;
pub use person::{Created, KeyLifetime, NewPerson, OneTimeKey, Person, PersonChanges, Updated};
