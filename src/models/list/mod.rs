//! The list of people, in one place: what a list asks for (`query`), how it reads from and
//! writes to the URL (`params`), what a name search means and how each length is looked up
//! (`search`), whether the database has the index for it (`search_index`), one page of it
//! with its neighbours and the capped match count (`page`), where a page starts (`rank`),
//! everything the list page shows from the database, read together (`listing`), everyone it
//! matches a batch at a time for the export (`batches`), the SQL behind them (`sql`), and the
//! numbers of people and of people in the trash that the database keeps up to date itself
//! (`tally`).
//! The HTML list and the JSON API both use it, so a link from either reproduces the same view.

mod batches;
mod listing;
mod page;
mod params;
mod query;
mod rank;
mod search;
mod search_index;
mod sql;
mod tally;

pub use batches::Batches;
pub use listing::Listing;
pub use page::{MatchCount, PersonPage};
pub use params::{ListParams, MAX_SEARCH_CHARS, href, sort_param};
pub use query::{ListQuery, PerPage, Position, Sort};
pub use search::{ANYWHERE_MIN_CHARS, is_prefix_only};
pub use search_index::TRIGRAM_INDEX_SQL;
pub use tally::Tally;
