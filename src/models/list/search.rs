//! What "a name matches the search" means, in one place: the search text folded the way names
//! are keyed, and the forms the list's SQL (`sql`) looks for it in.
//!
//! The text is folded as names are keyed (`key_of`) and looked for in `name_key`, which holds
//! every name folded the same way. So "zoë" finds "ZOË" on both backends, without relying on
//! either one's `lower()` (SQLite's folds ASCII only).
//!
//! - 3 characters or more (folded): anywhere in the name, through the trigram index of each
//!   backend (SQLite's FTS5 `person_fts`, PostgreSQL's `pg_trgm`), which finds the rows that
//!   hold the text without reading the others. A trigram index cannot look for fewer than 3.
//! - 1 or 2 characters: names that *start* with the text, a range of the `name_key` index. "Anywhere" would
//!   have to read every name, and a 1-2 letter fragment matches most of them anyway; the
//!   list page says so next to the results.

use crate::person_name::key_of;

/// Fewer folded characters than this search the start of names only.
pub const ANYWHERE_MIN_CHARS: usize = 3;

/// A search, folded and sorted into the kind of lookup it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Search {
    /// Names whose key contains this (folded) text.
    Anywhere(String),
    /// Names whose key starts with this (folded) text.
    Prefix(String),
}

impl Search {
    pub(super) fn of(text: &str) -> Self {
        let folded = key_of(text);
        match folded.chars().count() >= ANYWHERE_MIN_CHARS {
            true => Self::Anywhere(folded),
            false => Self::Prefix(folded),
        }
    }
}

/// Whether a search for `text` matches the start of names only (the page says so).
pub fn is_prefix_only(text: &str) -> bool {
    matches!(Search::of(text), Search::Prefix(_))
}

/// The escape character for `LIKE`. SQLite has no default one, so it is always named.
pub(super) const ESCAPE: char = '\\';

/// `LIKE` pattern for a folded text anywhere in the key. Its `%`, `_` and `\` are escaped,
/// so they match themselves instead of acting as wildcards.
pub(super) fn like_pattern(folded: &str) -> String {
    let mut pattern = String::with_capacity(folded.len() + 2);
    pattern.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | ESCAPE) {
            pattern.push(ESCAPE);
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// An FTS5 query for a folded text anywhere in the key: one phrase in double quotes (a `"`
/// inside doubled), which the trigram tokenizer matches as a substring. Inside the quotes
/// nothing is an operator: `*`, `-`, `OR`, `:` and parentheses are text.
pub(super) fn fts_phrase(folded: &str) -> String {
    format!("\"{}\"", folded.replace('"', "\"\""))
}

/// The first text after every text that starts with `prefix`, in bytewise (code point)
/// order: `prefix` with its last character moved one code point up. Every key starting with
/// `prefix` is in `prefix..end`, so the prefix search is a range of the key index. `None`
/// when there is no such text (an empty prefix, or one of only U+10FFFF).
pub(super) fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_like_name_keys() {
        assert_eq!(Search::of("Ada"), Search::Anywhere("ada".into()));
        assert_eq!(Search::of("ZOË"), Search::Anywhere("zoë".into()));
        assert_eq!(
            Search::of("  Ada   LOVE"),
            Search::Anywhere("ada love".into())
        );
        assert_eq!(
            Search::of("Zoe\u{301}"),
            Search::Anywhere("zo\u{e9}".into())
        );
    }

    #[test]
    fn fewer_than_three_folded_characters_search_the_start() {
        assert_eq!(Search::of("A"), Search::Prefix("a".into()));
        assert_eq!(Search::of(" Ø "), Search::Prefix("ø".into()));
        // Two characters once composed: "e" + combining acute is "é".
        assert_eq!(Search::of("Ze\u{301}"), Search::Prefix("z\u{e9}".into()));
        assert!(is_prefix_only("ab"));
        assert!(!is_prefix_only("abc"));
    }

    #[test]
    fn wildcards_and_the_escape_character_match_themselves() {
        assert_eq!(like_pattern("100%"), r"%100\%%");
        assert_eq!(like_pattern("a_b"), r"%a\_b%");
        assert_eq!(like_pattern(r"back\slash"), r"%back\\slash%");
    }

    #[test]
    fn fts_queries_are_one_literal_phrase() {
        assert_eq!(fts_phrase("ada"), "\"ada\"");
        assert_eq!(fts_phrase("o\"brien"), "\"o\"\"brien\"");
        assert_eq!(fts_phrase("a OR b*"), "\"a OR b*\"");
    }

    #[test]
    fn prefix_ranges_end_just_after_the_prefix() {
        assert_eq!(prefix_end("ab").as_deref(), Some("ac"));
        assert_eq!(prefix_end("a\u{d7ff}").as_deref(), Some("a\u{e000}"));
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{10FFFF}"), None);
        assert_eq!(prefix_end(""), None);
    }
}
