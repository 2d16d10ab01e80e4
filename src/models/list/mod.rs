//! The list of people, in one place: what a list asks for (`query`), how it reads from and
//! writes to the URL (`params`), what a name search means (`search`), one page of it with
//! its neighbours and the capped match count (`page`), and the SQL behind both (`sql`). The
//! HTML list and the JSON API both use it, so a link from either reproduces the same view.

mod page;
mod params;
mod query;
mod search;
mod sql;

pub use page::{MatchCount, PersonPage};
pub use params::{ListParams, MAX_SEARCH_CHARS, href, sort_param};
pub use query::{ListQuery, PerPage, Position, Sort};
