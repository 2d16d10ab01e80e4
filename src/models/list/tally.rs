//! How many people there are, without counting them: the database keeps the number in
//! `person_count`, changed by triggers in the same transaction as every insert and delete
//! (migration `2026-11-26-000800_person_count`). So the figure is exact the moment a write
//! commits, whichever instance or tool made it, and reading it costs one row on SQLite and 16
//! on PostgreSQL however many people there are, where counting read up to 1,001.

use diesel::QueryResult;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::{DbConn, with_connection};
use crate::schema::person_count;

/// Everyone in `person`, as of this statement: the sum of the slots. Summed here rather than
/// with SQL's `sum`, which is a `NUMERIC` on PostgreSQL; and written with the DSL, whose
/// statements diesel prepares once per connection (SQL text it would prepare every time).
pub(super) async fn everyone(conn: &mut DbConn) -> QueryResult<i64> {
    let slots: Vec<i64> = with_connection!(conn, |c| person_count::table
        .select(person_count::people)
        .load(c)
        .await)?;
    Ok(slots.iter().sum())
}
