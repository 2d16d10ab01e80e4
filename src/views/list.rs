//! The list page: search, sort links, one page of people, Previous/Next, empty states.

use askama::Template;
use askama_web::WebTemplate;

use super::{FlashView, paths};
use crate::models::Person;
use crate::models::list::{
    ListQuery, MAX_SEARCH_CHARS, MatchCount, PerPage, PersonPage, Position, Sort, href, sort_param,
};

/// The list: search, sort links, one page of people, Previous/Next, and the empty states.
#[derive(Template, WebTemplate)]
#[template(path = "people/list.html")]
pub struct ListPage {
    pub flash: Option<FlashView>,
    pub people: Vec<Person>,
    /// The search as typed, for the search box ("" when none).
    pub search: String,
    pub search_max_chars: usize,
    /// Carried by the search form so a new search keeps the order and page size.
    pub sort_param: Option<&'static str>,
    pub per_page_param: Option<u8>,
    pub sort_links: Vec<SortLink>,
    pub count_text: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub empty: Option<EmptyState>,
    /// Hides the search and sort controls while there is nobody to search or sort.
    pub show_controls: bool,
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

impl ListPage {
    pub fn new(
        flash: Option<FlashView>,
        query: &ListQuery,
        page: PersonPage,
        count: MatchCount,
    ) -> Self {
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
        Self {
            flash,
            show_controls: !matches!(empty, Some(EmptyState::NoPeople)),
            count_text: count_text(count, query.search.as_deref()),
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
            people: page.people,
            empty,
        }
    }
}

/// "3 people", "1 person matches “ada”", "1,000+ people". The template escapes it whole,
/// search text included.
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

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn thousands_are_grouped() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), text);
        }
    }
}
