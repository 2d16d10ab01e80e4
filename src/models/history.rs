//! Each person's history: created, renamed, deleted, restored, with the names before and
//! after, the version and when. Creates and renames are written by the database's triggers
//! (migration `2026-11-26-000700_trash_and_history`), in the statement that makes them, so
//! every writer (forms, API, CSV import) is covered; deletes and restores by `trash`, in
//! their transaction.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

use super::Person;
use crate::db::{DbConn, with_connection};
use crate::schema::person_history;

/// The newest entries a page or the API shows; older ones stay stored.
pub const HISTORY_SHOWN: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Create,
    Rename,
    Delete,
    Restore,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Rename => "rename",
            Self::Delete => "delete",
            Self::Restore => "restore",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Create, Self::Rename, Self::Delete, Self::Restore]
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// One change, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = person_history)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct HistoryEntry {
    pub id: i32,
    kind: String,
    pub name_before: Option<String>,
    pub name_after: Option<String>,
    pub version: i32,
    /// UTC.
    pub at: PrimitiveDateTime,
}

impl HistoryEntry {
    /// The table's CHECK allows only the four kinds; anything else reads as a rename.
    pub fn kind(&self) -> EventKind {
        EventKind::parse(&self.kind).unwrap_or(EventKind::Rename)
    }
}

/// What a delete or restore writes (creates and renames come from triggers).
#[derive(Debug, Insertable)]
#[diesel(table_name = person_history)]
pub(super) struct NewEvent<'a> {
    person_id: i32,
    kind: &'static str,
    name_before: Option<&'a str>,
    name_after: Option<&'a str>,
    version: i32,
}

impl<'a> NewEvent<'a> {
    pub(super) fn delete(person_id: i32, name: &'a str, version: i32) -> Self {
        Self {
            person_id,
            kind: EventKind::Delete.as_str(),
            name_before: Some(name),
            name_after: None,
            version,
        }
    }

    pub(super) fn restore(person_id: i32, before: &'a str, after: &'a str, version: i32) -> Self {
        Self {
            person_id,
            kind: EventKind::Restore.as_str(),
            name_before: Some(before),
            name_after: Some(after),
            version,
        }
    }
}

impl Person {
    /// A person's history, newest first (at most `HISTORY_SHOWN` entries); empty for an id
    /// nobody has (or had, before being deleted forever).
    pub async fn history(conn: &mut DbConn, id: i32) -> QueryResult<Vec<HistoryEntry>> {
        with_connection!(conn, |c| {
            person_history::table
                .filter(person_history::person_id.eq(id))
                .order(person_history::id.desc())
                .limit(HISTORY_SHOWN)
                .select(HistoryEntry::as_select())
                .load(c)
                .await
        })
    }
}
