//! Every person a list matches, a batch at a time: what the CSV export streams. Each batch
//! is a keyset page read with the list's own query (`sql::scan`), starting after the last
//! row of the one before, so memory holds one batch however many people match, and people
//! added or deleted during an export are never written twice.

use diesel::QueryResult;

use super::page::Scan;
use super::query::{Key, ListQuery, Listed, Sort};
use super::sql::scan;
use crate::db::DbConn;
use crate::models::Person;

pub struct Batches {
    search: Option<String>,
    sort: Sort,
    after: Option<Key>,
    done: bool,
}

impl Batches {
    /// Everyone `query` matches, in its order, from the top (its position and page size are
    /// not the export's business).
    pub fn of(query: &ListQuery) -> Self {
        Self {
            search: query.search.clone(),
            sort: query.sort,
            after: None,
            done: false,
        }
    }

    /// The next `size` people, or `None` once all have been read.
    pub async fn next(
        &mut self,
        conn: &mut DbConn,
        size: usize,
    ) -> QueryResult<Option<Vec<Person>>> {
        if self.done {
            return Ok(None);
        }
        let search = self.search.as_deref();
        let people = scan(conn, search, Scan::of(self.sort), self.after.as_ref(), size)
            .await?
            .rows;
        self.done = people.len() < size;
        self.after = people.last().map(|last| last.key.clone());
        Ok((!people.is_empty()).then_some(Listed::people(people)))
    }
}
