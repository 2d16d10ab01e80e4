//! What "a name matches the search" means, in one place: the list query and the match count
//! both filter with [`name_contains`].

use diesel::dsl;
use diesel::prelude::*;

use crate::person_name::key_of;
use crate::schema::person;

/// The escape character for `LIKE`. SQLite has no default one, so it is always named.
const ESCAPE: char = '\\';

/// Names containing `text`, ignoring case, spacing and Unicode composition: the search text
/// is folded as names are keyed (`key_of`), and looked for in `name_key`, which holds every
/// name folded the same way. So "zoë" finds "ZOË" on both backends, without relying on
/// either one's `lower()` (SQLite's folds ASCII only). Its `%`, `_` and `\` are escaped, so
/// they match themselves instead of acting as wildcards.
pub fn name_contains(text: &str) -> dsl::Escape<dsl::Like<person::name_key, String>> {
    person::name_key.like(like_pattern(text)).escape(ESCAPE)
}

/// [`name_contains`] as SQL text, for the one query Diesel's DSL cannot build (a count over a
/// `LIMIT`ed subquery): this, then the [`like_pattern`] bound, then [`ESCAPE_SQL`].
pub const NAME_CONTAINS_SQL: &str = "name_key LIKE ";
pub const ESCAPE_SQL: &str = " ESCAPE '\\'";

pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in key_of(text).chars() {
        if matches!(c, '%' | '_' | ESCAPE) {
            pattern.push(ESCAPE);
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn matches_anywhere_folded_like_name_keys() {
        assert_eq!(like_pattern("Ada"), "%ada%");
        assert_eq!(like_pattern("ZOË"), "%zoë%");
        assert_eq!(like_pattern("  Ada   LOVE"), "%ada love%");
        assert_eq!(like_pattern("Zoe\u{301}"), "%zo\u{e9}%");
    }

    #[test]
    fn wildcards_and_the_escape_character_match_themselves() {
        assert_eq!(like_pattern("100%"), r"%100\%%");
        assert_eq!(like_pattern("a_b"), r"%a\_b%");
        assert_eq!(like_pattern(r"back\slash"), r"%back\\slash%");
    }
}
