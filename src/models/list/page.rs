//! The list of people one page at a time, for the HTML list and the JSON API alike.
//!
//! Keyset pagination: a page starts strictly after (or ends strictly before) the sort key of
//! a row the reader has seen, never at an offset. A page deep in the list costs what the
//! first one does, and rows inserted or deleted while someone pages neither repeat nor skip
//! the rows they have not seen yet.
//!
//! The sorts need no index of their own: `name_key` has its unique index, which both
//! backends walk for `ORDER BY name_key`, and `id` is the primary key. Both plans start at the
//! cursor at 1,000,000 rows.

use diesel::QueryResult;

use super::query::{ListQuery, Listed, Position, Sort};
use super::sql::{Scanned, count_up_to, scan};
use super::tally::{self, Tally};
use crate::db::DbConn;
use crate::models::Person;

/// One page, in display order, with where the neighbouring pages start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonPage {
    pub people: Vec<Person>,
    pub prev: Option<Position>,
    pub next: Option<Position>,
    /// The numbers of people and of people in the trash, read by the same statement as the
    /// rows (`None` when there are no rows to carry them: [`Person::tally`] then).
    pub tally: Option<Tally>,
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

    /// `counted`, or "more than the cap" above it.
    pub fn capped(counted: i64) -> Self {
        let counted = usize::try_from(counted).unwrap_or(0);
        if counted > Self::CAP {
            Self::MoreThan(Self::CAP)
        } else {
            Self::Exactly(counted)
        }
    }
}

/// The direction a page is read in: an order on one of the two keys.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scan {
    pub(super) by_name: bool,
    pub(super) ascending: bool,
}

impl Scan {
    pub(super) fn of(sort: Sort) -> Self {
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

    pub(super) fn reversed(self) -> Self {
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
                let Scanned {
                    rows: mut people,
                    tally,
                } = scan(conn, search, forward, None, per_page + 1).await?;
                let next = next_after(&mut people, per_page);
                Ok(PersonPage {
                    people: Listed::people(people),
                    prev: None,
                    next,
                    tally,
                })
            }
            Position::After(key) => {
                let Scanned {
                    rows: mut people,
                    tally,
                } = scan(conn, search, forward, Some(key), per_page + 1).await?;
                let next = next_after(&mut people, per_page);
                let prev = match people.first() {
                    Some(first) => {
                        let first = first.key.clone();
                        let earlier = scan(conn, search, forward.reversed(), Some(&first), 1);
                        (!earlier.await?.rows.is_empty()).then_some(Position::Before(first))
                    }
                    // Everything after the cursor has gone: offer the start of the list.
                    None => Some(Position::First),
                };
                let people = Listed::people(people);
                Ok(PersonPage {
                    people,
                    prev,
                    next,
                    tally,
                })
            }
            Position::Before(key) => {
                let Scanned {
                    rows: mut people,
                    tally,
                } = scan(conn, search, forward.reversed(), Some(key), per_page + 1).await?;
                // Read backwards, so an extra row means there are rows before this page.
                let more_before = people.len() > per_page;
                people.truncate(per_page);
                people.reverse();
                let prev = match people.first() {
                    Some(first) if more_before => Some(Position::Before(first.key.clone())),
                    _ => None,
                };
                let next = match people.last() {
                    Some(last) => {
                        let last = last.key.clone();
                        let later = scan(conn, search, forward, Some(&last), 1);
                        (!later.await?.rows.is_empty()).then_some(Position::After(last))
                    }
                    None => Some(Position::First),
                };
                let people = Listed::people(people);
                Ok(PersonPage {
                    people,
                    prev,
                    next,
                    tally,
                })
            }
        }
    }

    /// How many people there are and how many are in the trash, as the database keeps them
    /// (`tally`): no counting, one small read. A page with rows carries them already
    /// ([`PersonPage::tally`]).
    pub async fn tally(conn: &mut DbConn) -> QueryResult<Tally> {
        tally::read(conn).await
    }

    /// How many people match `search`, counting in the database no further than
    /// [`MatchCount::CAP`], so the count costs at most that many index entries however large
    /// the table grows. (Everyone, without a search, is in [`Person::tally`].)
    pub async fn count_matches(conn: &mut DbConn, search: &str) -> QueryResult<MatchCount> {
        let counted = count_up_to(conn, Some(search), MatchCount::CAP as i64 + 1).await?;
        Ok(MatchCount::capped(counted))
    }
}

/// Drops the row read beyond the page, if there was one, and then says where the page after
/// this one (in reading order) starts.
fn next_after(people: &mut Vec<Listed>, per_page: usize) -> Option<Position> {
    if people.len() <= per_page {
        return None;
    }
    people.truncate(per_page);
    people.last().map(|last| Position::After(last.key.clone()))
}
