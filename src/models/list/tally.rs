//! How many people there are, and how many are in the trash, without counting them: the
//! database keeps both numbers in `person_count`, changed by triggers in the same transaction
//! as every insert into and delete from `person` and `person_trash` (migrations
//! `2026-11-26-000800_person_count` and `..._000900_trash_count`). So the figures are exact the
//! moment a write commits, whichever instance or tool made it, and reading them costs one row
//! on SQLite and 16 on PostgreSQL however many people there are, where counting read up to
//! 1,001 of each on every page.

use diesel::QueryResult;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::{DbConn, with_connection};
use crate::schema::person_count;

/// Both numbers, as of one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Everyone in `person` (the live people).
    pub people: i64,
    /// Everyone in `person_trash`.
    pub trashed: i64,
}

/// The sum of the slots. Summed here rather than with SQL's `sum`, which is a `NUMERIC` on
/// PostgreSQL; and written with the DSL, whose statements diesel prepares once per connection
/// (SQL text it would prepare every time).
pub(super) async fn read(conn: &mut DbConn) -> QueryResult<Tally> {
    let slots: Vec<(i64, i64)> = with_connection!(conn, |c| person_count::table
        .select((person_count::people, person_count::trashed))
        .load(c)
        .await)?;
    Ok(slots.iter().fold(
        Tally {
            people: 0,
            trashed: 0,
        },
        |sum, (people, trashed)| Tally {
            people: sum.people + people,
            trashed: sum.trashed + trashed,
        },
    ))
}
