//! An import's two queries: which of a file's names are taken, and adding every accepted name
//! in one transaction, so an import is added whole or not at all.

use std::collections::HashSet;

use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use time::{OffsetDateTime, PrimitiveDateTime};

use super::Person;
use super::person::is_unique_violation;
use crate::csv_file::{CsvRow, ImportPlan};
use crate::db::{Backend, DbConn, with_connection};
use crate::person_name::PersonName;
use crate::schema::person;

/// Keys per `IN (...)` and rows per `INSERT`: far below SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters per statement, and large enough that 100,000 names take a
/// hundred statements.
const CHUNK: usize = 1000;

/// What an import writes per person. The dates are set here rather than by the database's
/// trigger, which would rewrite each row a second time.
#[derive(Insertable)]
#[diesel(table_name = person)]
struct ImportedPerson {
    name: String,
    name_key: String,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

/// One multi-row `INSERT`, the same statement on both backends.
fn insert(
    chunk: &[ImportedPerson],
) -> diesel::dsl::Values<diesel::dsl::insert_into<person::table>, &[ImportedPerson]> {
    diesel::insert_into(person::table).values(chunk)
}

/// What an import did.
#[derive(Debug, PartialEq, Eq)]
pub enum Imported {
    Added(usize),
    /// A name was taken while the import ran: nothing was added.
    Taken,
}

impl Person {
    /// Which of `keys` (`PersonName::key`s) people already have.
    pub async fn taken_keys(conn: &mut DbConn, keys: &[String]) -> QueryResult<HashSet<String>> {
        let mut taken = HashSet::new();
        for chunk in keys.chunks(CHUNK) {
            let found: Vec<String> = with_connection!(conn, |c| {
                person::table
                    .filter(person::name_key.eq_any(chunk))
                    .select(person::name_key)
                    .load(c)
                    .await
            })?;
            taken.extend(found);
        }
        Ok(taken)
    }

    /// Adds every name, or none: the unique index refusing one (someone took it meanwhile)
    /// rolls the whole import back.
    pub async fn import(conn: &mut DbConn, names: &[PersonName]) -> QueryResult<Imported> {
        let now = OffsetDateTime::now_utc();
        let now = PrimitiveDateTime::new(now.date(), now.time());
        let rows: Vec<ImportedPerson> = names
            .iter()
            .map(|name| ImportedPerson {
                name: name.as_str().to_owned(),
                name_key: name.key(),
                created_at: now,
                updated_at: now,
            })
            .collect();
        let count = rows.len();
        // diesel-async builds no multi-row INSERT for SQLite (its SQLite connection is diesel's
        // own, on a blocking thread, and only that has one): the SQLite import runs there,
        // whole, rather than paying a thread hop per row.
        let added = match conn.backend_mut() {
            Backend::Postgres(c) => {
                c.transaction(async |c| {
                    for chunk in rows.chunks(CHUNK) {
                        insert(chunk).execute(c).await?;
                    }
                    Ok(count)
                })
                .await
            }
            Backend::Sqlite(_) => {
                // A write on the writer runs in a savepoint of its own (`db::writers`): a
                // refused row rolls back every chunk.
                conn.on_writer(move |c| {
                    for chunk in rows.chunks(CHUNK) {
                        diesel::RunQueryDsl::execute(insert(chunk), c)?;
                    }
                    Ok(count)
                })
                .await
            }
            Backend::Discarded => Err(diesel::result::Error::BrokenTransactionManager),
        };
        match added {
            Ok(n) => Ok(Imported::Added(n)),
            Err(e) if is_unique_violation(&e) => Ok(Imported::Taken),
            Err(e) => Err(e),
        }
    }
}

/// What importing `rows` would do now: each name parsed as the form parses it, then checked
/// against the people already there.
pub async fn plan(conn: &mut DbConn, rows: Vec<CsvRow>) -> QueryResult<ImportPlan> {
    let parsed = ImportPlan::parse(rows);
    let taken = Person::taken_keys(conn, &parsed.keys()).await?;
    Ok(ImportPlan::new(parsed, &taken))
}
