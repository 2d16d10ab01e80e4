//! How many people there are, and how many are in the trash, without counting them: the
//! database keeps both numbers in `person_count`, changed by triggers in the same transaction
//! as every insert into and delete from `person` and `person_trash` (migrations
//! `2026-11-26-000800_person_count` and `..._000900_trash_count`). So the figures are exact the
//! moment a write commits, whichever instance or tool made it, and reading them costs one row
//! on SQLite and 16 on PostgreSQL however many people there are, where counting read up to
//! 1,001 of each on every page.
//!
//! The list reads them in the same statement as its rows ([`Kept`], two scalar subqueries the
//! database evaluates once per statement), so a page is one statement, one trip to SQLite's
//! blocking threads or one round trip to PostgreSQL, not two. [`read`] selects the same
//! columns alone, for when a page has no rows to carry them.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::expression::is_aggregate;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::BigInt;
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

/// Both numbers on their own, the same two columns the list selects beside its rows.
pub(super) async fn read(conn: &mut DbConn) -> QueryResult<Tally> {
    let kept = with_connection!(conn, |c| diesel::select(columns()).get_result(c).await)?;
    Ok(Tally::of(kept))
}

/// Both numbers as two columns to select beside any other query's: `(people, trashed)`.
pub(super) fn columns() -> (Kept<person_count::people>, Kept<person_count::trashed>) {
    (Kept(PhantomData), Kept(PhantomData))
}

impl Tally {
    /// From the pair [`columns`] selected.
    pub(super) fn of((people, trashed): (i64, i64)) -> Self {
        Self { people, trashed }
    }
}

/// `(SELECT CAST(coalesce(sum(COLUMN), 0) AS BIGINT) FROM person_count)`: one of the kept
/// numbers, as a column of another query. Written by hand because diesel's `sum` of a
/// `BIGINT` is a `NUMERIC` (on PostgreSQL it is one) and diesel casts no `NUMERIC` to
/// `BIGINT`; the `CAST` reads the same on both backends. Unlike SQL text (`dsl::sql`), which
/// diesel must assume varies and so prepares on every execution, this is fixed text, so the
/// statement carrying it is prepared once per connection.
#[derive(Debug, Clone, Copy, QueryId)]
pub(super) struct Kept<Column>(PhantomData<Column>);

impl<Column> Expression for Kept<Column> {
    type SqlType = BigInt;
}

impl<Column, DB> QueryFragment<DB> for Kept<Column>
where
    Column: diesel::Column<Table = person_count::table>,
    DB: Backend,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(SELECT CAST(coalesce(sum(");
        out.push_identifier(Column::NAME)?;
        out.push_sql("), 0) AS BIGINT) FROM ");
        person_count::table.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

/// A subquery of its own: it goes with any row of any query, grouped or not.
impl<Column, GroupBy> ValidGrouping<GroupBy> for Kept<Column> {
    type IsAggregate = is_aggregate::Never;
}

impl<Column, QuerySource> AppearsOnTable<QuerySource> for Kept<Column> {}

impl<Column, QuerySource> SelectableExpression<QuerySource> for Kept<Column> {}
