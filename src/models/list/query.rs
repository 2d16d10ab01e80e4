//! What the list shows, independent of where it is asked from: a search, an order, a
//! position and a page size.

use crate::models::Person;

/// What the list shows: a filter, an order and a position in it. Requests that ask for the
/// same one at the same moment share one read of it (`Hash`, see `db::SharedReads`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sort {
    /// A to Z: by `(name_key, id)`, the name folded as uniqueness folds it (lower case, NFC,
    /// spacing collapsed) and compared bytewise on both backends, so "adele" sorts between
    /// "Ada" and "Alan" on SQLite as on PostgreSQL.
    #[default]
    Name,
    /// Z to A: by `(name_key, id)` descending.
    NameDesc,
    /// Most recently added first: by `id` descending.
    Newest,
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Position {
    #[default]
    First,
    /// The rows after this key, in the list's order.
    After(Key),
    /// The rows just before this key, in the list's order.
    Before(Key),
}

/// A row's sort key: its id and its `name_key`. Both values are always kept, whatever the
/// sort, so one cursor format serves all sorts; `Newest` reads only the id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub id: i32,
    pub name_key: String,
}

/// A person as the list's SQL reads them: with the key the next page starts from. The key is
/// read from the row, never recomputed from the name: a row keyed by older rules keeps its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Listed {
    pub(super) person: Person,
    pub(super) key: Key,
}

impl Listed {
    pub(super) fn people(rows: Vec<Self>) -> Vec<Person> {
        rows.into_iter().map(|row| row.person).collect()
    }
}

/// Rows per page: 50 unless asked otherwise, and never outside `1..=100`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
