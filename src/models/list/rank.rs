//! Where a page sits in its list: how many matching people come before its first row, for
//! "51–100 of 1,000+". Counted, like the match count, no further than `MatchCount::CAP`, so a
//! page deep in a large list costs a bounded read rather than a count from the top.

use diesel::QueryResult;

use super::page::{MatchCount, PersonPage, Scan};
use super::query::{ListQuery, Position};
use super::sql::{count_beyond, scan};
use crate::db::DbConn;
use crate::models::Person;

impl Person {
    /// The number of people before `page` in `query`'s list, or `None` when more than
    /// [`MatchCount::CAP`].
    pub async fn rows_before(
        conn: &mut DbConn,
        query: &ListQuery,
        page: &PersonPage,
    ) -> QueryResult<Option<usize>> {
        // A page has a Previous link exactly when rows come before it, and the link starts
        // at its first row.
        let first = match (&query.position, &page.prev) {
            (Position::First, _) | (_, None | Some(Position::First | Position::After(_))) => {
                return Ok(Some(0));
            }
            (_, Some(Position::Before(first))) => first,
        };
        let backwards = Scan::of(query.sort).reversed();
        let cap = MatchCount::CAP;
        let search = query.search.as_deref();
        let before = match search {
            None => count_beyond(conn, backwards, first, cap + 1).await?,
            Some(_) => scan(conn, search, backwards, Some(first), cap + 1)
                .await?
                .rows
                .len(),
        };
        Ok((before <= cap).then_some(before))
    }
}
