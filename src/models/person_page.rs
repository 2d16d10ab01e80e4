//! The list of people one page at a time, for the HTML list and the JSON API alike.
//!
//! Keyset pagination: a page starts strictly after (or ends strictly before) the sort key of
//! a row the reader has seen, never at an offset. A page deep in the list costs what the
//! first one does, and rows inserted or deleted while someone pages neither repeat nor skip
//! the rows they have not seen yet.
//!
//! The sorts need no index of their own: `name` has its unique index (SQLite walks it for
//! `ORDER BY name, id`; PostgreSQL walks it with an incremental sort on `id` inside equal
//! names) and `id` is the primary key. Both plans start at the cursor at 1,000,000 rows.

use diesel::QueryResult;

use self::queries::{count_up_to, scan};
use super::Person;
use crate::db::DbConn;

/// What the list shows: a filter, an order and a position in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListQuery {
    /// Names containing this text, ignoring case; `None` lists everyone.
    pub search: Option<String>,
    pub sort: Sort,
    pub position: Position,
    pub per_page: PerPage,
}

impl ListQuery {
    /// The same list at another position, for the Previous and Next links.
    pub fn at(&self, position: Position) -> Self {
        Self {
            position,
            ..self.clone()
        }
    }

    /// The same list in another order, from the top: a cursor belongs to the order it was
    /// made in.
    pub fn sorted(&self, sort: Sort) -> Self {
        Self {
            sort,
            position: Position::First,
            ..self.clone()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// A to Z: by `(name, id)`.
    #[default]
    Name,
    /// Z to A: by `(name, id)` descending.
    NameDesc,
    /// Most recently added first: by `id` descending.
    Newest,
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Position {
    #[default]
    First,
    /// The rows after this key, in the list's order.
    After(Key),
    /// The rows just before this key, in the list's order.
    Before(Key),
}

/// A row's sort key. Both values are always kept, whatever the sort, so one cursor format
/// serves all sorts; `Newest` reads only the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub id: i32,
    pub name: String,
}

impl Key {
    pub fn of(person: &Person) -> Self {
        Self {
            id: person.id,
            name: person.name.clone(),
        }
    }
}

/// Rows per page: 50 unless asked otherwise, and never outside `1..=100`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PerPage(u8);

impl PerPage {
    pub const DEFAULT: Self = Self(50);
    pub const MAX: u8 = 100;

    pub fn clamped(requested: i64) -> Self {
        Self(requested.clamp(1, i64::from(Self::MAX)) as u8)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl Default for PerPage {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One page, in display order, with where the neighbouring pages start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonPage {
    pub people: Vec<Person>,
    pub prev: Option<Position>,
    pub next: Option<Position>,
}

impl PersonPage {
    /// The number of matches when this page holds all of them, which saves counting.
    pub fn count_if_complete(&self, query: &ListQuery) -> Option<usize> {
        let complete = query.position == Position::First && self.next.is_none();
        complete.then_some(self.people.len())
    }
}

/// How many people match, counted no further than [`MatchCount::CAP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchCount {
    Exactly(usize),
    /// More than `CAP`: "1,000+".
    MoreThan(usize),
}

impl MatchCount {
    pub const CAP: usize = 1000;
}

/// The direction a page is read in: an order on one of the two keys.
#[derive(Debug, Clone, Copy)]
struct Scan {
    by_name: bool,
    ascending: bool,
}

impl Scan {
    fn of(sort: Sort) -> Self {
        match sort {
            Sort::Name => Self {
                by_name: true,
                ascending: true,
            },
            Sort::NameDesc => Self {
                by_name: true,
                ascending: false,
            },
            Sort::Newest => Self {
                by_name: false,
                ascending: false,
            },
        }
    }

    fn reversed(self) -> Self {
        Self {
            ascending: !self.ascending,
            ..self
        }
    }
}

impl Person {
    /// The page `query` asks for. Reads `per_page + 1` rows to learn whether a next page
    /// exists; a page before another is read in reverse order and flipped. Away from the
    /// first page, one more single-row read tells whether the other direction has rows.
    pub async fn page(conn: &mut DbConn, query: &ListQuery) -> QueryResult<PersonPage> {
        let search = query.search.as_deref();
        let per_page = usize::from(query.per_page.get());
        let forward = Scan::of(query.sort);
        match &query.position {
            Position::First => {
                let mut people = scan(conn, search, forward, None, per_page + 1).await?;
                let next = next_after(&mut people, per_page);
                Ok(PersonPage {
                    people,
                    prev: None,
                    next,
                })
            }
            Position::After(key) => {
                let mut people = scan(conn, search, forward, Some(key), per_page + 1).await?;
                let next = next_after(&mut people, per_page);
                let prev = match people.first() {
                    Some(first) => {
                        let first = Key::of(first);
                        let earlier = scan(conn, search, forward.reversed(), Some(&first), 1);
                        (!earlier.await?.is_empty()).then_some(Position::Before(first))
                    }
                    // Everything after the cursor has gone: offer the start of the list.
                    None => Some(Position::First),
                };
                Ok(PersonPage { people, prev, next })
            }
            Position::Before(key) => {
                let mut people =
                    scan(conn, search, forward.reversed(), Some(key), per_page + 1).await?;
                // Read backwards, so an extra row means there are rows before this page.
                let more_before = people.len() > per_page;
                people.truncate(per_page);
                people.reverse();
                let prev = match people.first() {
                    Some(first) if more_before => Some(Position::Before(Key::of(first))),
                    _ => None,
                };
                let next = match people.last() {
                    Some(last) => {
                        let last = Key::of(last);
                        let later = scan(conn, search, forward, Some(&last), 1);
                        (!later.await?.is_empty()).then_some(Position::After(last))
                    }
                    None => Some(Position::First),
                };
                Ok(PersonPage { people, prev, next })
            }
        }
    }

    /// How many people match `search`, counting in the database no further than
    /// [`MatchCount::CAP`], so the count costs at most that many index entries however large
    /// the table grows.
    pub async fn count_matches(conn: &mut DbConn, search: Option<&str>) -> QueryResult<MatchCount> {
        let cap = MatchCount::CAP;
        let counted = count_up_to(conn, search, cap as i64 + 1).await?;
        let counted = usize::try_from(counted).unwrap_or(usize::MAX);
        Ok(if counted > cap {
            MatchCount::MoreThan(cap)
        } else {
            MatchCount::Exactly(counted)
        })
    }
}

/// Drops the row read beyond the page, if there was one, and then says where the page after
/// this one (in reading order) starts.
fn next_after(people: &mut Vec<Person>, per_page: usize) -> Option<Position> {
    if people.len() <= per_page {
        return None;
    }
    people.truncate(per_page);
    people.last().map(|last| Position::After(Key::of(last)))
}

/// The SQL. Apart from the rest because Diesel's `RunQueryDsl` adds a `first` method to every
/// type, `Vec` included, which would shadow the slice's `first` above.
mod queries {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;

    use diesel::dsl::sql;
    use diesel::sql_types::{BigInt, Text};

    use super::{Key, Scan};
    use crate::db::DbConn;
    use crate::models::Person;
    use crate::models::search::{ESCAPE_SQL, NAME_CONTAINS_SQL, like_pattern, name_contains};
    use crate::schema::person;
    use crate::with_connection;

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
            // `name >= k AND (name > k OR id > i)` is `(name, id) > (k, i)` written so that both
            // backends turn its first half into an index range instead of scanning from the start.
            query = match (scan.by_name, scan.ascending) {
                (true, true) => {
                    let query = query.order((person::name.asc(), person::id.asc()));
                    match from {
                        Some(key) => query.filter(
                            person::name
                                .ge(key.name.clone())
                                .and(person::name.gt(key.name.clone()).or(person::id.gt(key.id))),
                        ),
                        None => query,
                    }
                }
                (true, false) => {
                    let query = query.order((person::name.desc(), person::id.desc()));
                    match from {
                        Some(key) => query.filter(
                            person::name
                                .le(key.name.clone())
                                .and(person::name.lt(key.name.clone()).or(person::id.lt(key.id))),
                        ),
                        None => query,
                    }
                }
                (false, true) => {
                    let query = query.order(person::id.asc());
                    match from {
                        Some(key) => query.filter(person::id.gt(key.id)),
                        None => query,
                    }
                }
                (false, false) => {
                    let query = query.order(person::id.desc());
                    match from {
                        Some(key) => query.filter(person::id.lt(key.id)),
                        None => query,
                    }
                }
            };
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
}
