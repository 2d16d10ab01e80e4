//! The list's SQL: one page of rows from a cursor, and the capped match count.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use diesel::dsl::sql;
use diesel::sql_types::{BigInt, Text};

use super::page::Scan;
use super::query::Key;
use super::search::{ESCAPE_SQL, NAME_CONTAINS_SQL, like_pattern, name_contains};
use crate::db::{DbConn, with_connection};
use crate::models::Person;
use crate::schema::person;

/// Up to `limit` matching rows in `scan` order, starting strictly beyond `from`.
pub(super) async fn scan(
    conn: &mut DbConn,
    search: Option<&str>,
    scan: Scan,
    from: Option<&Key>,
    limit: usize,
) -> QueryResult<Vec<Person>> {
    let limit = limit as i64;
    with_connection!(conn, |c| {
        let mut query = person::table
            .select(Person::as_select())
            .limit(limit)
            .into_boxed();
        if let Some(text) = search {
            query = query.filter(name_contains(text));
        }
        query = match (scan.by_name, scan.ascending) {
            (true, true) => query.order((person::name.asc(), person::id.asc())),
            (true, false) => query.order((person::name.desc(), person::id.desc())),
            (false, true) => query.order(person::id.asc()),
            (false, false) => query.order(person::id.desc()),
        };
        // `name >= k AND (name > k OR id > i)` is `(name, id) > (k, i)` written so that both
        // backends turn its first half into an index range instead of scanning from the start.
        if let Some(Key { id, name }) = from {
            let (id, name) = (*id, name.clone());
            query = match (scan.by_name, scan.ascending) {
                (true, true) => query.filter(
                    person::name
                        .ge(name.clone())
                        .and(person::name.gt(name).or(person::id.gt(id))),
                ),
                (true, false) => query.filter(
                    person::name
                        .le(name.clone())
                        .and(person::name.lt(name).or(person::id.lt(id))),
                ),
                (false, true) => query.filter(person::id.gt(id)),
                (false, false) => query.filter(person::id.lt(id)),
            };
        }
        query.load(c).await
    })
}

/// How many people match `search`, counting no further than `cap`:
/// `SELECT count(*) FROM (SELECT 1 ... LIMIT cap)`, in SQL text because Diesel's DSL has
/// no subquery in `FROM`. The typed binds give each backend its own placeholders.
pub(super) async fn count_up_to(
    conn: &mut DbConn,
    search: Option<&str>,
    cap: i64,
) -> QueryResult<i64> {
    with_connection!(conn, |c| {
        match search {
            Some(text) => {
                let count = sql::<BigInt>("(SELECT count(*) FROM (SELECT 1 FROM person WHERE ")
                    .sql(NAME_CONTAINS_SQL)
                    .bind::<Text, _>(like_pattern(text))
                    .sql(ESCAPE_SQL)
                    .sql(" LIMIT ")
                    .bind::<BigInt, _>(cap)
                    .sql(") AS matches)");
                diesel::select(count).get_result(c).await
            }
            None => {
                let count = sql::<BigInt>("(SELECT count(*) FROM (SELECT 1 FROM person LIMIT ")
                    .bind::<BigInt, _>(cap)
                    .sql(") AS everyone)");
                diesel::select(count).get_result(c).await
            }
        }
    })
}
