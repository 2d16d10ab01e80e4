//! Everything the list page shows that comes from the database, read together: one page of
//! people, how many match, where the page starts, and how many are in the trash.

use diesel::QueryResult;

use super::page::{MatchCount, PersonPage};
use super::query::ListQuery;
use crate::db::DbConn;
use crate::models::Person;

/// One page of the list with the numbers around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub page: PersonPage,
    /// How many people the list matches, to the cap.
    pub count: MatchCount,
    /// How many rows come before this page (`None`: more than the cap).
    pub rows_before: Option<usize>,
    /// How many people are in the trash.
    pub trashed: i64,
}

impl Person {
    /// The list `query` asks for. The first page of everyone is one statement: the numbers
    /// of people and of people in the trash (the database keeps both) come with its rows, and
    /// a search's matches are counted only when the page cannot tell.
    pub async fn listing(conn: &mut DbConn, query: &ListQuery) -> QueryResult<Listing> {
        let page = Self::page(conn, query).await?;
        let tally = match page.tally {
            Some(tally) => tally,
            None => Self::tally(conn).await?,
        };
        let count = match (page.count_if_complete(query), query.search.as_deref()) {
            (Some(n), _) => MatchCount::Exactly(n),
            (None, None) => MatchCount::capped(tally.people),
            (None, Some(search)) => Self::count_matches(conn, search).await?,
        };
        let rows_before = Self::rows_before(conn, query, &page).await?;
        Ok(Listing {
            page,
            count,
            rows_before,
            trashed: tally.trashed,
        })
    }
}
