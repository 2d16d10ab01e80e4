//! The trash: deleting moves a person from `person` to `person_trash` (same id, name,
//! version and dates) and restoring moves them back, each in one transaction with its
//! history entry. The live table, its unique indexes and every list and search query never
//! see the trash. Entries older than `trash_days` are purged (`purge`), with their history.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

use super::Person;
use super::history::NewEvent;
use super::person::is_unique_violation;
use crate::db::{DbConn, in_transaction, with_connection};
use crate::person_name::PersonName;
use crate::schema::{person, person_history, person_trash};

/// A person in the trash, as the trash page and the API show them.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = person_trash)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct TrashedPerson {
    pub id: i32,
    pub name: String,
    /// The version they had when deleted; restoring gives them the next one.
    pub version: i32,
    /// UTC.
    pub deleted_at: PrimitiveDateTime,
}

/// What moves between the two tables: everything a person is but their creation key (a
/// restored person was not created by any request).
#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = person)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct LiveRow {
    id: i32,
    name: String,
    name_key: String,
    version: i32,
    created_at: Option<PrimitiveDateTime>,
    updated_at: Option<PrimitiveDateTime>,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = person_trash)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct TrashRow {
    id: i32,
    name: String,
    name_key: String,
    version: i32,
    created_at: Option<PrimitiveDateTime>,
    updated_at: Option<PrimitiveDateTime>,
}

/// What a restore did.
#[derive(Debug, PartialEq, Eq)]
pub enum Restored {
    /// Back in the list, at their next version (all of them, for an Undo of several).
    Done(Vec<Person>),
    /// Someone living has this name now (as `PersonName::key` sees it): nothing was restored.
    Taken(TrashedPerson),
    /// None of them is in the trash (restored or deleted forever meanwhile, or never there).
    Missing,
}

/// At most this many entries are purged per transaction, so a large purge never holds
/// SQLite's write lock for long.
const PURGE_BATCH: i64 = 500;

/// The most ids one bulk delete or undo takes: the largest page of the list.
pub const MAX_SELECTED: usize = 100;

impl Person {
    /// Moves these people to the trash in one transaction, each with a `delete` history entry;
    /// the ones that were live, as they were. Of two requests trashing the same person, the
    /// second finds nobody: the DELETE comes first and holds the rows.
    pub async fn trash(conn: &mut DbConn, ids: &[i32]) -> QueryResult<Vec<Person>> {
        in_transaction!(conn, |c| {
            let rows: Vec<LiveRow> = diesel::delete(person::table.filter(person::id.eq_any(ids)))
                .returning(LiveRow::as_returning())
                .get_results(c)
                .await?;
            let mut trashed = Vec::with_capacity(rows.len());
            for row in rows {
                let event = NewEvent::delete(row.id, &row.name, row.version);
                diesel::insert_into(person_history::table)
                    .values(&event)
                    .execute(c)
                    .await?;
                let row = TrashRow {
                    id: row.id,
                    name: row.name,
                    name_key: row.name_key,
                    version: row.version,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                };
                diesel::insert_into(person_trash::table)
                    .values(&row)
                    .execute(c)
                    .await?;
                trashed.push(Person {
                    id: row.id,
                    name: row.name,
                    version: row.version,
                });
            }
            Ok(trashed)
        })
    }

    /// Puts these people back with their ids at their next version, each with a `restore`
    /// history entry, all in one transaction or none (a name taken meanwhile undoes it all).
    /// `rename` restores one person under another name. Of concurrent restores of the same
    /// person exactly one finds them in the trash: the DELETE from the trash comes first.
    pub async fn restore(
        conn: &mut DbConn,
        ids: &[i32],
        rename: Option<&PersonName>,
    ) -> QueryResult<Restored> {
        let mut taken: Option<TrashedPerson> = None;
        let result = in_transaction!(conn, |c| {
            let rows: Vec<(TrashRow, PrimitiveDateTime)> =
                diesel::delete(person_trash::table.filter(person_trash::id.eq_any(ids)))
                    .returning((TrashRow::as_returning(), person_trash::deleted_at))
                    .get_results(c)
                    .await?;
            let mut restored = Vec::with_capacity(rows.len());
            for (row, deleted_at) in rows {
                let (name, name_key) = match rename {
                    Some(name) => (name.as_str().to_owned(), name.key()),
                    None => (row.name.clone(), row.name_key),
                };
                let live = LiveRow {
                    id: row.id,
                    name,
                    name_key,
                    version: row.version + 1,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                };
                let event = NewEvent::restore(live.id, &row.name, &live.name, live.version);
                // The history first: the create trigger records only ids without one.
                diesel::insert_into(person_history::table)
                    .values(&event)
                    .execute(c)
                    .await?;
                let inserted = diesel::insert_into(person::table)
                    .values(&live)
                    .execute(c)
                    .await;
                if let Err(e) = inserted {
                    if is_unique_violation(&e) {
                        taken = Some(TrashedPerson {
                            id: row.id,
                            name: row.name,
                            version: row.version,
                            deleted_at,
                        });
                    }
                    return Err(e);
                }
                restored.push(Person {
                    id: live.id,
                    name: live.name,
                    version: live.version,
                });
            }
            Ok(restored)
        });
        match (result, taken) {
            (Err(e), Some(trashed)) if is_unique_violation(&e) => Ok(Restored::Taken(trashed)),
            (Err(e), _) => Err(e),
            (Ok(restored), _) if restored.is_empty() => Ok(Restored::Missing),
            (Ok(restored), _) => Ok(Restored::Done(restored)),
        }
    }

    /// A person in the trash, if this id is one.
    pub async fn find_trashed(conn: &mut DbConn, id: i32) -> QueryResult<Option<TrashedPerson>> {
        with_connection!(conn, |c| {
            person_trash::table
                .find(id)
                .select(TrashedPerson::as_select())
                .first(c)
                .await
                .optional()
        })
    }

    /// One page of the trash, newest first: `per_page` entries after the first `skip`, and
    /// whether there are more.
    pub async fn trash_page(
        conn: &mut DbConn,
        skip: i64,
        per_page: i64,
    ) -> QueryResult<(Vec<TrashedPerson>, bool)> {
        let mut rows: Vec<TrashedPerson> = with_connection!(conn, |c| {
            person_trash::table
                .order((person_trash::deleted_at.desc(), person_trash::id.desc()))
                .offset(skip)
                .limit(per_page + 1)
                .select(TrashedPerson::as_select())
                .load(c)
                .await
        })?;
        let more = rows.len() > usize::try_from(per_page).unwrap_or(usize::MAX);
        rows.truncate(usize::try_from(per_page).unwrap_or(usize::MAX));
        Ok((rows, more))
    }

    /// Deletes a person in the trash for good, with their history; whether they were there.
    pub async fn delete_forever(conn: &mut DbConn, id: i32) -> QueryResult<Option<TrashedPerson>> {
        in_transaction!(conn, |c| {
            let gone = diesel::delete(person_trash::table.find(id))
                .returning(TrashedPerson::as_returning())
                .get_result(c)
                .await
                .optional()?;
            if gone.is_some() {
                diesel::delete(person_history::table.filter(person_history::person_id.eq(id)))
                    .execute(c)
                    .await?;
            }
            Ok(gone)
        })
    }

    /// Deletes for good everyone trashed before `before` (UTC), with their history, a bounded
    /// batch per transaction; how many. Safe to run from several instances at once: each
    /// batch deletes trash rows first, so a row is purged by one of them, and the other finds
    /// nothing to do (a DELETE of rows already gone is not an error).
    pub async fn purge_trash(conn: &mut DbConn, before: PrimitiveDateTime) -> QueryResult<usize> {
        let mut total = 0;
        loop {
            let purged = in_transaction!(conn, |c| {
                let oldest = diesel::alias!(person_trash as oldest);
                let batch = oldest
                    .filter(oldest.field(person_trash::deleted_at).lt(before))
                    .order(oldest.field(person_trash::deleted_at))
                    .select(oldest.field(person_trash::id))
                    .limit(PURGE_BATCH);
                let ids: Vec<i32> =
                    diesel::delete(person_trash::table.filter(person_trash::id.eq_any(batch)))
                        .returning(person_trash::id)
                        .get_results(c)
                        .await?;
                diesel::delete(
                    person_history::table.filter(person_history::person_id.eq_any(&ids)),
                )
                .execute(c)
                .await?;
                Ok(ids.len())
            })?;
            total += purged;
            if purged < usize::try_from(PURGE_BATCH).unwrap_or(usize::MAX) {
                return Ok(total);
            }
        }
    }
}
