//! Upgrade steps written in Rust, because SQL cannot apply the app's own rules. Each runs once,
//! right after its schema migration and in the same transaction (`db::DataMigration`).
//!
//! Rows saved before the app keyed names got `lower(name)` as their key: ASCII-only on
//! SQLite, no NFC, no collapsed whitespace, format characters kept. So "ZOË" and "zoë" could
//! both exist, and a new "Zoë" was not seen as taken. `rekey` gives every row the key
//! `PersonName::key` gives (`key_of`), resolving collisions as the first upgrade did: the
//! lowest id keeps the plain key, the others get " #ID" appended, and every name is kept.

use std::collections::HashSet;

use diesel::prelude::*;
use diesel::{QueryResult, SqliteConnection};
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;

use crate::db::DataMigration;
use crate::person_name::key_of;
use crate::schema::person;

/// The keys rows must have, for rows `(id, name, stored key)` in id order: only those that
/// change.
fn new_keys(rows: &[(i32, String, String)]) -> Vec<(i32, String)> {
    let mut taken = HashSet::with_capacity(rows.len());
    let mut changed = Vec::new();
    for (id, name, stored) in rows {
        let mut key = key_of(name);
        while !taken.insert(key.clone()) {
            key = format!("{key} #{id}");
        }
        if &key != stored {
            changed.push((*id, key));
        }
    }
    changed
}

/// Writes the new keys in two passes: each changed row first gets a placeholder no name can
/// have (control characters are refused), so that no row's new key collides under the unique
/// index with a key another row is about to give up.
macro_rules! rekey {
    ($conn:expr) => {{
        let conn = $conn;
        let rows: Vec<(i32, String, String)> = person::table
            .select((person::id, person::name, person::name_key))
            .order(person::id.asc())
            .load(conn)?;
        let changed = new_keys(&rows);
        for (id, _) in &changed {
            diesel::update(person::table.find(*id))
                .set(person::name_key.eq(format!("\u{1}rekeying {id}")))
                .execute(conn)?;
        }
        for (id, key) in &changed {
            diesel::update(person::table.find(*id))
                .set(person::name_key.eq(key))
                .execute(conn)?;
        }
        if !changed.is_empty() {
            rocket::info!("migrations: re-keyed {} legacy names", changed.len());
        }
        QueryResult::Ok(())
    }};
}

/// Compiled for each connection type the migrations run on.
fn rekey_sqlite(conn: &mut SqliteConnection) -> QueryResult<()> {
    rekey!(conn)
}

fn rekey_postgres(conn: &mut AsyncConnectionWrapper<AsyncPgConnection>) -> QueryResult<()> {
    rekey!(conn)
}

pub const DATA_MIGRATIONS: &[DataMigration] = &[DataMigration {
    after: "2026-11-26-000110",
    sqlite: rekey_sqlite,
    postgres: rekey_postgres,
}];

#[cfg(test)]
mod tests {
    use super::new_keys;

    fn row(id: i32, name: &str, key: &str) -> (i32, String, String) {
        (id, name.to_owned(), key.to_owned())
    }

    #[test]
    fn legacy_keys_get_the_apps_rule_and_collisions_an_id() {
        let rows = [
            row(1, "ZOË Smith", "zoË smith"),
            row(2, "zoë  smith", "zoë  smith"),
            row(3, "Ada Lovelace", "ada lovelace"),
            row(4, "Ada\u{200B}Lovelace", "ada\u{200B}lovelace"),
        ];
        assert_eq!(
            new_keys(&rows),
            [
                (1, "zoë smith".to_owned()),
                (2, "zoë smith #2".to_owned()),
                (4, "adalovelace".to_owned()),
            ]
        );
    }

    #[test]
    fn rows_already_keyed_are_left_alone() {
        let rows = [row(1, "Ada Lovelace", "ada lovelace")];
        assert!(new_keys(&rows).is_empty());
    }
}
