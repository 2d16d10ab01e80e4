//! The list's state in the URL: `?q=&sort=&per_page=&after=&before=` parsed into a
//! [`ListQuery`] at the edge, and a `ListQuery` written back as a link. The HTML list and the
//! JSON API share both directions, so a link from either reproduces the same view.
//!
//! Parsing is forgiving where a default is an honest answer (an unknown sort, a page size
//! that is not a number) and refuses, with a message, what would silently show the wrong
//! rows (a damaged cursor).

use std::fmt::Write;

use rocket::http::RawStr;

use super::query::{Key, ListQuery, PerPage, Position, Sort};
use crate::person_name::{PersonName, key_of};

/// The query string as sent. Every field is optional and read as text, so no value can make
/// Rocket refuse the request before we can answer it properly; the API's OpenAPI document
/// describes them from here, as strings for the same reason.
#[derive(Debug, Default, rocket::FromForm, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Text to look for anywhere in the name, ignoring case; at most 100 characters once
    /// trimmed (400 beyond). A text of 1 or 2 characters matches names that start with it.
    #[param(value_type = String, required = false)]
    pub q: Option<String>,
    /// `name` (A-Z, the default), `name_desc` (Z-A) or `newest`; anything else is the default.
    #[param(value_type = String, required = false)]
    pub sort: Option<String>,
    /// People per page, 1 to 100 (default 50); other numbers are held to those bounds, and
    /// what is not a number is the default.
    #[param(value_type = String, required = false)]
    pub per_page: Option<String>,
    /// Where the page starts: only as found in a `next` link (400 if damaged).
    #[param(value_type = String, required = false)]
    pub after: Option<String>,
    /// Where the page ends: only as found in a `prev` link (400 if damaged, or with `after`).
    #[param(value_type = String, required = false)]
    pub before: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListParamsError {
    #[error("Search for at most {max} characters.", max = MAX_SEARCH_CHARS)]
    SearchTooLong,
    #[error("Use either `after` or `before`, not both.")]
    BothCursors,
    #[error(
        "The page position (`after` or `before`) is not one this list made. Start again from the first page."
    )]
    BadCursor,
}

/// Longer than any name (80 characters), with room for a pasted name with extra spaces; and a
/// bound on the `LIKE` pattern every row is matched against.
pub const MAX_SEARCH_CHARS: usize = 100;

impl ListParams {
    pub fn parse(&self) -> Result<ListQuery, ListParamsError> {
        let search = self.q.as_deref().map(search_text).transpose()?.flatten();
        let sort = self
            .sort
            .as_deref()
            .and_then(sort_from_param)
            .unwrap_or_default();
        let per_page = self
            .per_page
            .as_deref()
            .and_then(|n| n.trim().parse::<i64>().ok())
            .map_or(PerPage::DEFAULT, PerPage::clamped);
        let position = match (self.after.as_deref(), self.before.as_deref()) {
            (None, None) => Position::First,
            (Some(after), None) => Position::After(parse_key(after)?),
            (None, Some(before)) => Position::Before(parse_key(before)?),
            (Some(_), Some(_)) => return Err(ListParamsError::BothCursors),
        };
        Ok(ListQuery {
            search,
            sort,
            position,
            per_page,
        })
    }
}

/// The search as typed, trimmed; `None` when blank. Names never contain control characters,
/// so a pasted tab or line break is taken as the space it stood for (PostgreSQL would also
/// refuse a NUL in the query outright).
fn search_text(raw: &str) -> Result<Option<String>, ListParamsError> {
    let text: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = text.trim();
    if text.chars().count() > MAX_SEARCH_CHARS {
        return Err(ListParamsError::SearchTooLong);
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

pub fn sort_param(sort: Sort) -> &'static str {
    match sort {
        Sort::Name => "name",
        Sort::NameDesc => "name_desc",
        Sort::Newest => "newest",
    }
}

fn sort_from_param(param: &str) -> Option<Sort> {
    [Sort::Name, Sort::NameDesc, Sort::Newest]
        .into_iter()
        .find(|sort| sort_param(*sort) == param.trim())
}

/// A cursor is `ID:KEY`, the sort key of the row the page starts after (or ends before): its
/// id and its `name_key`. The id comes first because it cannot contain the colon. The key is
/// one a stored row could have: folded as keys are (`key_of` leaves it as it is), no longer
/// than a name can be and without the NUL PostgreSQL refuses. It is only ever a bound
/// parameter.
///
/// Cursors made before the list sorted by key were `ID:NAME`. A bookmarked one whose name
/// has a capital, a double space or anything else keys fold is refused (400, "start again
/// from the first page"); one whose name is already folded is a key, and its page starts
/// where that key sorts, which is where the bookmark pointed.
fn parse_key(raw: &str) -> Result<Key, ListParamsError> {
    let (id, name_key) = raw.split_once(':').ok_or(ListParamsError::BadCursor)?;
    let id = id.parse().map_err(|_| ListParamsError::BadCursor)?;
    let storable = !name_key.is_empty()
        && !name_key.contains('\0')
        && name_key.chars().count() <= MAX_KEY_CHARS
        && key_of(name_key) == name_key;
    match storable {
        true => Ok(Key {
            id,
            name_key: name_key.to_owned(),
        }),
        false => Err(ListParamsError::BadCursor),
    }
}

/// The longest key a row can hold: a name of at most 80 characters (lower case can lengthen
/// it: "İ" is two characters folded), and the " #ID" a legacy duplicate got.
const MAX_KEY_CHARS: usize = 3 * PersonName::MAX_CHARS + 12;

fn key_param(key: &Key) -> String {
    format!("{}:{}", key.id, key.name_key)
}

/// `base` with the query string that reproduces `query`. Defaults are left out, so the plain
/// list is just `base`.
pub fn href(base: &str, query: &ListQuery) -> String {
    let mut params: Vec<(&str, String)> = Vec::new();
    if let Some(search) = &query.search {
        params.push(("q", search.clone()));
    }
    if query.sort != Sort::default() {
        params.push(("sort", sort_param(query.sort).to_owned()));
    }
    if query.per_page != PerPage::default() {
        params.push(("per_page", query.per_page.get().to_string()));
    }
    match &query.position {
        Position::First => {}
        Position::After(key) => params.push(("after", key_param(key))),
        Position::Before(key) => params.push(("before", key_param(key))),
    }
    let mut href = base.to_owned();
    for (i, (name, value)) in params.iter().enumerate() {
        let separator = if i == 0 { '?' } else { '&' };
        // Rocket's encoding for query values: `&`, `=`, `+`, `%`, `#` and spaces are escaped.
        let _ = write!(
            href,
            "{separator}{name}={}",
            RawStr::new(value).percent_encode()
        );
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> ListParams {
        let mut params = ListParams::default();
        for (name, value) in pairs {
            let value = Some((*value).to_owned());
            match *name {
                "q" => params.q = value,
                "sort" => params.sort = value,
                "per_page" => params.per_page = value,
                "after" => params.after = value,
                "before" => params.before = value,
                _ => unreachable!(),
            }
        }
        params
    }

    #[test]
    fn no_parameters_is_the_first_page_by_name() {
        assert_eq!(params(&[]).parse(), Ok(ListQuery::default()));
        assert_eq!(href("/people", &ListQuery::default()), "/people");
    }

    #[test]
    fn page_size_is_clamped_and_defaults_when_not_a_number() {
        for (raw, expected) in [
            ("10", 10),
            (" 7 ", 7),
            ("0", 1),
            ("-3", 1),
            ("101", 100),
            ("99999999999", 100),
            ("ten", 50),
            ("", 50),
            ("99999999999999999999999", 50),
        ] {
            let query = params(&[("per_page", raw)]).parse().unwrap();
            assert_eq!(query.per_page.get(), expected, "{raw:?}");
        }
    }

    #[test]
    fn unknown_sorts_fall_back_to_by_name() {
        assert_eq!(
            params(&[("sort", "newest")]).parse().unwrap().sort,
            Sort::Newest
        );
        assert_eq!(
            params(&[("sort", "shoe")]).parse().unwrap().sort,
            Sort::Name
        );
    }

    #[test]
    fn search_is_trimmed_and_blank_is_none() {
        assert_eq!(
            params(&[("q", "  Ada ")])
                .parse()
                .unwrap()
                .search
                .as_deref(),
            Some("Ada")
        );
        assert_eq!(params(&[("q", " \t ")]).parse().unwrap().search, None);
        assert_eq!(
            params(&[("q", "Ada\0Love\tlace")]).parse().unwrap().search,
            Some("Ada Love lace".to_owned())
        );
        let long = "x".repeat(MAX_SEARCH_CHARS + 1);
        assert_eq!(
            params(&[("q", &long)]).parse(),
            Err(ListParamsError::SearchTooLong)
        );
    }

    #[test]
    fn cursors_round_trip_through_links() {
        let key = Key {
            id: 17,
            name_key: "ada & co: 100% + #1".into(),
        };
        let query = ListQuery {
            search: Some("a&b=c".into()),
            sort: Sort::NameDesc,
            position: Position::After(key.clone()),
            per_page: PerPage::clamped(20),
        };
        let link = href("/people", &query);
        assert_eq!(
            link,
            "/people?q=a%26b%3Dc&sort=name_desc&per_page=20&after=17:ada%20%26%20co:%20100%25%20%2B%20%231"
        );
        let parsed = params(&[
            ("q", "a&b=c"),
            ("sort", "name_desc"),
            ("per_page", "20"),
            ("after", "17:ada & co: 100% + #1"),
        ])
        .parse();
        assert_eq!(parsed, Ok(query));
    }

    #[test]
    fn damaged_cursors_are_refused() {
        for raw in ["", "17", "abc:ada", "17:", "17:ada\0", "99999999999:ada"] {
            assert_eq!(
                params(&[("after", raw)]).parse(),
                Err(ListParamsError::BadCursor),
                "{raw:?}"
            );
        }
        let both = params(&[("after", "1:a"), ("before", "2:b")]).parse();
        assert_eq!(both, Err(ListParamsError::BothCursors));
        let too_long = format!("17:{}", "a".repeat(MAX_KEY_CHARS + 1));
        assert_eq!(
            params(&[("after", &too_long)]).parse(),
            Err(ListParamsError::BadCursor)
        );
    }

    /// Rows keyed by older rules keep their keys (a legacy duplicate's " #ID"), and a page
    /// can end on one.
    #[test]
    fn cursors_at_any_stored_key_work() {
        for name_key in ["ada lovelace #12", "zoë", "åsa", "100% _\\"] {
            let raw = format!("17:{name_key}");
            let query = params(&[("after", &raw)]).parse().unwrap();
            assert_eq!(
                query.position,
                Position::After(Key {
                    id: 17,
                    name_key: name_key.into()
                })
            );
        }
    }

    /// Bookmarks from before the list sorted by key carry a name: refused with the message
    /// that says to start again, unless the name is its own key.
    #[test]
    fn old_cursors_with_names_are_refused_or_already_keys() {
        for raw in ["17:Ada Lovelace", "17:ZOË", "17:ada  lovelace", "17: ada"] {
            assert_eq!(
                params(&[("after", raw)]).parse(),
                Err(ListParamsError::BadCursor),
                "{raw:?}"
            );
        }
        assert!(params(&[("before", "17:ada lovelace")]).parse().is_ok());
    }
}
