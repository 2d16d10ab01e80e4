//! The list's SQL: one page of rows from a cursor, and the capped match count.
//!
//! A search for text anywhere in names (3+ characters) is read one of two ways, because no
//! single plan is fast for both rare and common text at 1,000,000 people:
//!
//! 1. **Walk**: the next `walk_rows(limit)` rows of the list's own order (an index range
//!    from the cursor), filtered by `LIKE`. When the text is common, the page fills within
//!    them and nothing else is read.
//! 2. **Candidates**: when the walk did not fill the page (rare text, or common text that
//!    lives elsewhere in the order, like a first name), the trigram index finds every row
//!    that holds the text, and only those are sorted. Its cost grows with the number of
//!    matches, not of people.
//!
//! The planners cannot make this choice themselves: they estimate how many rows match, not
//! where in the order they are, and PostgreSQL walked 320,000 names for "grace" (205 ms).
//! So the candidates' query sorts by an expression no index provides (`name_key || ''`, the
//! same order), which leaves the planner one sensible plan: the trigram index, then a sort.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Text};
use diesel_async::RunQueryDsl;

use super::page::Scan;
use super::query::{Key, Listed};
use super::search::{Search, fts_phrase, like_pattern, prefix_end};
use super::tally::{self, Tally};
use crate::db::{Backend, DbConn, load_rows, with_connection};
use crate::models::Person;
use crate::schema::person;

/// `$query` (a boxed `person` query) in `$scan` order: `name_key` or `id`, each read from its
/// index. Both are unique, so neither needs a second key to break ties: the order is
/// `(name_key, id)` as the cursor carries it. Naming `id` after `name_key` anyway made
/// PostgreSQL, which does not infer that, sort every page after walking the index (an
/// incremental sort: 0.06 ms where the page alone takes 0.02, by EXPLAIN ANALYZE at 1,000
/// people). `unindexed` sorts by the same values written as expressions no index provides
/// (see the module comment).
macro_rules! order {
    ($query:expr, $scan:expr) => {
        match ($scan.by_name, $scan.ascending) {
            (true, true) => $query.order(person::name_key.asc()),
            (true, false) => $query.order(person::name_key.desc()),
            (false, true) => $query.order(person::id.asc()),
            (false, false) => $query.order(person::id.desc()),
        }
    };
    ($query:expr, $scan:expr, unindexed) => {
        match ($scan.by_name, $scan.ascending) {
            (true, true) => $query.order(person::name_key.concat("").asc()),
            (true, false) => $query.order(person::name_key.concat("").desc()),
            (false, true) => $query.order((person::id + 0).asc()),
            (false, false) => $query.order((person::id + 0).desc()),
        }
    };
}

/// `$query` without the rows up to and including `$key` in `$scan` order: an index range on
/// either backend. Keys are unique, so the key of the order alone says where.
macro_rules! beyond {
    ($query:expr, $scan:expr, $key:expr) => {{
        let Key { id, name_key } = $key.clone();
        match ($scan.by_name, $scan.ascending) {
            (true, true) => $query.filter(person::name_key.gt(name_key)),
            (true, false) => $query.filter(person::name_key.lt(name_key)),
            (false, true) => $query.filter(person::id.gt(id)),
            (false, false) => $query.filter(person::id.lt(id)),
        }
    }};
}

/// `$query` without the rows from `$key` on in `$scan` order (where a walk stops). Keys are
/// unique, so the key alone says where.
macro_rules! short_of {
    ($query:expr, $scan:expr, $key:expr) => {{
        let Key { id, name_key } = $key.clone();
        match ($scan.by_name, $scan.ascending) {
            (true, true) => $query.filter(person::name_key.lt(name_key)),
            (true, false) => $query.filter(person::name_key.gt(name_key)),
            (false, true) => $query.filter(person::id.lt(id)),
            (false, false) => $query.filter(person::id.gt(id)),
        }
    }};
}

/// How far a walk reads before the candidates take over: 2,000 index entries cost about a
/// millisecond and fill a page of 50 for text that 1 name in 40 holds.
fn walk_rows(limit: usize) -> i64 {
    (limit.saturating_mul(40)).max(2000) as i64
}

/// Which rows a read keeps, besides those the cursor skips.
enum Filter<'a> {
    Everyone,
    /// Keys in `start..end` (`end` unbounded when `None`).
    Prefix {
        start: &'a str,
        end: Option<String>,
    },
    /// `LIKE` on the rows before `bound` in the order (a walk); all rows when `None`.
    Walk {
        pattern: String,
        bound: Option<Key>,
    },
    /// Through the trigram index, then sorted.
    Candidates {
        folded: &'a str,
    },
}

/// Rows of the list, with the tally as of the statement that read them (see `tally`): `None`
/// when it read no rows.
pub(super) struct Scanned {
    pub(super) rows: Vec<Listed>,
    pub(super) tally: Option<Tally>,
}

/// Up to `limit` matching rows in `scan` order, starting strictly beyond `from`.
pub(super) async fn scan(
    conn: &mut DbConn,
    search: Option<&str>,
    scan: Scan,
    from: Option<&Key>,
    limit: usize,
) -> QueryResult<Scanned> {
    match search.map(Search::of) {
        None => read(conn, Filter::Everyone, scan, from, limit).await,
        Some(Search::Prefix(prefix)) => {
            let end = prefix_end(&prefix);
            let filter = Filter::Prefix {
                start: &prefix,
                end,
            };
            read(conn, filter, scan, from, limit).await
        }
        Some(Search::Anywhere(folded)) => {
            let bound = walk_end(conn, scan, from, walk_rows(limit)).await?;
            let walked_to_the_end = bound.is_none();
            let pattern = like_pattern(&folded);
            let walked = read(conn, Filter::Walk { pattern, bound }, scan, from, limit).await?;
            if walked_to_the_end || walked.rows.len() >= limit {
                return Ok(walked);
            }
            let filter = Filter::Candidates { folded: &folded };
            read(conn, filter, scan, from, limit).await
        }
    }
}

/// The key of the row `rows` places beyond `from` in `scan` order (where a walk of `rows`
/// rows stops), or `None` when fewer rows are left.
async fn walk_end(
    conn: &mut DbConn,
    scan: Scan,
    from: Option<&Key>,
    rows: i64,
) -> QueryResult<Option<Key>> {
    // Only the column the order needs, so the walk reads the index alone (the other half
    // of the key is not used by `short_of!`).
    match scan.by_name {
        true => with_connection!(conn, |c| {
            let mut query = person::table
                .select(person::name_key)
                .offset(rows)
                .limit(1)
                .into_boxed();
            query = order!(query, scan);
            if let Some(key) = from {
                query = beyond!(query, scan, key);
            }
            let name_key = query.get_result::<String>(c).await.optional()?;
            Ok(name_key.map(|name_key| Key { id: 0, name_key }))
        }),
        false => with_connection!(conn, |c| {
            let mut query = person::table
                .select(person::id)
                .offset(rows)
                .limit(1)
                .into_boxed();
            query = order!(query, scan);
            if let Some(key) = from {
                query = beyond!(query, scan, key);
            }
            let id = query.get_result::<i32>(c).await.optional()?;
            Ok(id.map(|id| Key {
                id,
                name_key: String::new(),
            }))
        }),
    }
}

/// How many people (everyone, no search) come beyond `from` in `scan` order, counted no
/// further than `limit`: for "51-100 of 1,000+" on a page after the first. Each row is read as
/// a constant, so the database walks the order's index alone and nothing is decoded per row
/// (reading and decoding 1,001 rows made every page after the first several times slower
/// than the first).
pub(super) async fn count_beyond(
    conn: &mut DbConn,
    scan: Scan,
    from: &Key,
    limit: usize,
) -> QueryResult<usize> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows: Vec<i32> = load_rows!(conn, {
        let mut query = person::table
            .select(1.into_sql::<Integer>())
            .limit(limit)
            .into_boxed();
        query = order!(query, scan);
        beyond!(query, scan, from)
    })?;
    Ok(rows.len())
}

/// One read of up to `limit` rows, and the tally beside them.
async fn read(
    conn: &mut DbConn,
    filter: Filter<'_>,
    scan: Scan,
    from: Option<&Key>,
    limit: usize,
) -> QueryResult<Scanned> {
    let postgres = matches!(conn.backend_mut(), Backend::Postgres(_));
    let limit = limit as i64;
    let rows: Vec<(Person, String, (i64, i64))> = load_rows!(conn, {
        let mut query = person::table
            .select((Person::as_select(), person::name_key, tally::columns()))
            .limit(limit)
            .into_boxed();
        match &filter {
            Filter::Everyone => {}
            Filter::Prefix { start, end } => {
                query = query.filter(person::name_key.ge(start.to_string()));
                if let Some(end) = end {
                    query = query.filter(person::name_key.lt(end.clone()));
                }
            }
            Filter::Walk { pattern, bound } => {
                query = query.filter(person::name_key.like(pattern.clone()).escape('\\'));
                if let Some(bound) = bound {
                    query = short_of!(query, scan, bound);
                }
            }
            Filter::Candidates { folded } => {
                let (head, text, tail) = candidates_sql(postgres, folded);
                query = query.filter(sql::<Bool>(head).bind::<Text, _>(text).sql(tail));
            }
        }
        query = match filter {
            Filter::Candidates { .. } => order!(query, scan, unindexed),
            _ => order!(query, scan),
        };
        if let Some(key) = from {
            query = beyond!(query, scan, key);
        }
        query
    })?;
    let tally = rows.as_slice().first().map(|(_, _, kept)| Tally::of(*kept));
    let rows = rows
        .into_iter()
        .map(|(person, name_key, _)| Listed {
            key: Key {
                id: person.id,
                name_key,
            },
            person,
        })
        .collect();
    Ok(Scanned { rows, tally })
}

/// The rows that hold `folded` anywhere in their key, found through the backend's trigram
/// index, as SQL around one bound text: SQLite's FTS5 table (a phrase query is a substring
/// match with the trigram tokenizer), PostgreSQL's `pg_trgm` GIN index (which serves `LIKE`).
fn candidates_sql(postgres: bool, folded: &str) -> (&'static str, String, &'static str) {
    match postgres {
        true => (
            "person.name_key LIKE ",
            like_pattern(folded),
            " ESCAPE '\\'",
        ),
        false => (
            "person.id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ",
            fts_phrase(folded),
            ")",
        ),
    }
}

/// How many people match `search`, counting no further than `cap`:
/// `SELECT count(*) FROM (SELECT 1 ... LIMIT cap)`, in SQL text because Diesel's DSL has
/// no subquery in `FROM`. The typed binds give each backend its own placeholders. A search
/// anywhere in names counts through the trigram index and a prefix through the key index, so
/// at most `cap` index entries are read, however many people there are.
pub(super) async fn count_up_to(
    conn: &mut DbConn,
    search: Option<&str>,
    cap: i64,
) -> QueryResult<i64> {
    let postgres = matches!(conn.backend_mut(), Backend::Postgres(_));
    // Every count has one shape, with two texts bound; where one is not needed, it is the
    // empty text compared to itself.
    let (from, text, middle, second) = match search.map(Search::of) {
        None => ("person WHERE ", String::new(), " = ", String::new()),
        Some(Search::Prefix(prefix)) => {
            // A name is at most 80 characters, so no key reaches 81 U+10FFFF characters:
            // the end of the range when the prefix has none of its own.
            let end = prefix_end(&prefix).unwrap_or_else(|| char::MAX.to_string().repeat(81));
            ("person WHERE name_key >= ", prefix, " AND name_key < ", end)
        }
        Some(Search::Anywhere(folded)) => match postgres {
            true => (
                "person WHERE name_key LIKE ",
                like_pattern(&folded),
                " ESCAPE '\\' AND '' = ",
                String::new(),
            ),
            false => (
                "person_fts WHERE person_fts MATCH ",
                fts_phrase(&folded),
                " AND '' = ",
                String::new(),
            ),
        },
    };
    with_connection!(conn, |c| {
        let count = sql::<BigInt>("(SELECT count(*) FROM (SELECT 1 FROM ")
            .sql(from)
            .bind::<Text, _>(text.clone())
            .sql(middle)
            .bind::<Text, _>(second.clone())
            .sql(" LIMIT ")
            .bind::<BigInt, _>(cap)
            .sql(") AS matches)");
        diesel::select(count).get_result(c).await
    })
}
