//! The list page: search, sort links, one page of people, Previous/Next, empty states.
//!
//! Everything on it but the flash message and the form's CSRF token depends only on what was
//! read ([`ShownList`]), so requests that share a read (`db::SharedReads`) share that too: its
//! texts and links are made, and its rows rendered, once per read.

use std::sync::Arc;

use askama::Template;
use rocket::Request;
use rocket::http::Status;
use rocket::response::content::RawHtml;
use rocket::response::{self, Responder};

use super::{FlashView, paths, trash_text};
use crate::models::Person;
use crate::models::list::{
    ANYWHERE_MIN_CHARS, ListQuery, Listing, MAX_SEARCH_CHARS, MatchCount, PerPage, Position, Sort,
    href, is_prefix_only, sort_param,
};
use crate::numbers::thousands;

/// The list as one request sees it: the shared part, with its own flash and CSRF token.
#[derive(Template)]
#[template(path = "people/list.html")]
pub struct ListPage {
    pub flash: Option<FlashView>,
    /// For the Delete selected form.
    pub csrf_token: String,
    pub list: Arc<ShownList>,
}

/// What the list shows of one read: the same for every request that shared it.
pub struct ShownList {
    /// The rows, rendered (`people/rows.html`).
    pub rows: String,
    /// The search as typed, for the search box ("" when none).
    pub search: String,
    pub search_max_chars: usize,
    /// Carried by the search form so a new search keeps the order and page size.
    pub sort_param: Option<&'static str>,
    pub per_page_param: Option<u8>,
    pub sort_links: Vec<SortLink>,
    /// "10 people", "2 people match “ada”"; `None` when the empty state says it already.
    pub count_text: Option<String>,
    /// Said next to the results of a 1-2 character search: those match the start of names
    /// only (see `models::list::search`).
    pub prefix_hint: Option<String>,
    /// Where this page is when there are several: "51–100 of 1,000+".
    pub range_text: Option<String>,
    /// The heading, and the tab's title: "People", "People matching “ada”".
    pub heading: String,
    /// Everyone this list matches (not only this page), in its order, as CSV.
    pub export_href: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub empty: Option<EmptyState>,
    /// Hides the search and sort controls while there is nobody to search or sort.
    pub show_controls: bool,
    /// Sorting an empty page would change nothing.
    pub show_sort: bool,
    /// "3 people in the trash", linking to it; `None` when it is empty.
    pub trash_text: Option<String>,
}

/// One page's rows: rendered once per read, into the page as it is.
#[derive(Template)]
#[template(path = "people/rows.html")]
struct Rows<'a> {
    people: &'a [Person],
}

/// Rendered into a buffer sized for the whole page up front, where askama's own estimate
/// (`WebTemplate`, as the other pages use) counts the template's text once, without its rows:
/// a page of 50 people (about 25 KB) grew its buffer four times, copying it each time.
impl<'r> Responder<'r, 'static> for ListPage {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        /// The layout, the controls and the links around the rows.
        const PAGE_BYTES: usize = 8 * 1024;
        let mut html = String::with_capacity(PAGE_BYTES + self.list.rows.len());
        match self.render_into(&mut html) {
            Ok(()) => RawHtml(html).respond_to(request),
            Err(e) => {
                tracing::error!("the list page did not render: {e}");
                Err(Status::InternalServerError)
            }
        }
    }
}

pub struct SortLink {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

pub enum EmptyState {
    NoPeople,
    NoMatches { clear_href: String },
    PastTheEnd { first_href: String },
}

impl ShownList {
    pub fn new(query: &ListQuery, listing: Listing) -> askama::Result<Self> {
        /// A row with a long name: enough that the buffer never grows.
        const ROW_BYTES: usize = 768;
        let Listing {
            page,
            count,
            rows_before,
            trashed,
        } = listing;
        let mut rows = String::with_capacity(ROW_BYTES * page.people.len());
        Rows {
            people: &page.people,
        }
        .render_into(&mut rows)?;
        let search = query.search.clone().unwrap_or_default();
        let empty = page.people.is_empty().then(|| {
            if query.search.is_some() {
                EmptyState::NoMatches {
                    clear_href: href(
                        paths::LIST,
                        &ListQuery {
                            search: None,
                            ..query.at(Position::First)
                        },
                    ),
                }
            } else if query.position == Position::First {
                EmptyState::NoPeople
            } else {
                EmptyState::PastTheEnd {
                    first_href: href(paths::LIST, &query.at(Position::First)),
                }
            }
        });
        let several_pages = page.prev.is_some() || page.next.is_some();
        Ok(Self {
            rows,
            show_controls: !matches!(empty, Some(EmptyState::NoPeople)),
            show_sort: empty.is_none(),
            count_text: (!matches!(empty, Some(EmptyState::NoMatches { .. })))
                .then(|| count_text(count, query.search.as_deref())),
            prefix_hint: query
                .search
                .as_deref()
                .filter(|text| is_prefix_only(text))
                .map(prefix_hint),
            range_text: (several_pages && !page.people.is_empty())
                .then(|| range_text(rows_before, page.people.len(), count)),
            heading: match &query.search {
                None => "People".to_owned(),
                Some(text) => format!("People matching “{text}”"),
            },
            export_href: href(
                paths::EXPORT,
                &ListQuery {
                    search: query.search.clone(),
                    sort: query.sort,
                    ..ListQuery::default()
                },
            ),
            search,
            search_max_chars: MAX_SEARCH_CHARS,
            sort_param: (query.sort != Sort::default()).then(|| sort_param(query.sort)),
            per_page_param: (query.per_page != PerPage::default()).then(|| query.per_page.get()),
            sort_links: [
                (Sort::Name, "Name A–Z"),
                (Sort::NameDesc, "Name Z–A"),
                (Sort::Newest, "Newest first"),
            ]
            .into_iter()
            .map(|(sort, label)| SortLink {
                label,
                href: href(paths::LIST, &query.sorted(sort)),
                current: sort == query.sort,
            })
            .collect(),
            prev_href: page.prev.map(|at| href(paths::LIST, &query.at(at))),
            next_href: page.next.map(|at| href(paths::LIST, &query.at(at))),
            empty,
            trash_text: (trashed > 0).then(|| trash_text(trashed)),
        })
    }
}

/// Why "ad" does not find "Conrad": short searches look at the start of names.
fn prefix_hint(text: &str) -> String {
    format!(
        "Showing names that start with “{text}”. Type at least {ANYWHERE_MIN_CHARS} characters to search anywhere in names."
    )
}

/// "3 people", "1 person matches “ada”", "1,000+ people". The template escapes it whole,
/// search text included.
/// "51–100 of 1,000+"; past the capped count, where the page starts is not counted.
fn range_text(rows_before: Option<usize>, shown: usize, count: MatchCount) -> String {
    let total = match count {
        MatchCount::Exactly(n) => thousands(n),
        MatchCount::MoreThan(n) => format!("{}+", thousands(n)),
    };
    match rows_before {
        Some(before) => format!(
            "{}–{} of {total}",
            thousands(before + 1),
            thousands(before + shown)
        ),
        None => format!(
            "{} past the first {} of {total}",
            thousands(shown),
            thousands(MatchCount::CAP)
        ),
    }
}

fn count_text(count: MatchCount, search: Option<&str>) -> String {
    let (number, one) = match count {
        MatchCount::Exactly(n) => (thousands(n), n == 1),
        MatchCount::MoreThan(n) => (format!("{}+", thousands(n)), false),
    };
    let noun = if one { "person" } else { "people" };
    match search {
        None => format!("{number} {noun}"),
        Some(text) => {
            let verb = if one { "matches" } else { "match" };
            format!("{number} {noun} {verb} “{text}”")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_ranges_read_naturally() {
        let many = MatchCount::MoreThan(1000);
        assert_eq!(range_text(Some(0), 50, many), "1–50 of 1,000+");
        assert_eq!(range_text(Some(50), 50, many), "51–100 of 1,000+");
        assert_eq!(range_text(Some(1000), 3, many), "1,001–1,003 of 1,000+");
        assert_eq!(
            range_text(None, 50, many),
            "50 past the first 1,000 of 1,000+"
        );
        assert_eq!(range_text(Some(3), 2, MatchCount::Exactly(5)), "4–5 of 5");
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(count_text(MatchCount::Exactly(0), None), "0 people");
        assert_eq!(count_text(MatchCount::Exactly(1), None), "1 person");
        assert_eq!(
            count_text(MatchCount::MoreThan(1000), None),
            "1,000+ people"
        );
        assert_eq!(
            count_text(MatchCount::Exactly(1), Some("ada")),
            "1 person matches “ada”"
        );
        assert_eq!(
            count_text(MatchCount::Exactly(2), Some("ada")),
            "2 people match “ada”"
        );
    }
}
