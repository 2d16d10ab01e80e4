//! What "a name matches the search" means, in one place: the list query and the match count
//! both filter with [`name_contains`], so changing how search works (a normalised key column,
//! say) is a change to this file only.

use diesel::dsl;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::schema::person;

define_sql_function! {
    /// SQL's `lower()`. SQLite's folds ASCII letters only ("É" stays "É"); PostgreSQL's
    /// follows the database's `LC_CTYPE`. So a search is case-insensitive for ASCII on both
    /// backends, and beyond ASCII only where the backend folds too.
    fn lower(text: Text) -> Text;
}

/// The escape character for `LIKE`. SQLite has no default one, so it is always named.
const ESCAPE: char = '\\';

/// Names containing `text`, ignoring case: `lower(name) LIKE '%text%' ESCAPE '\'`. `text` is
/// lower-cased here (Rust folds all of Unicode; see [`lower`] for the backends' side) and its
/// `%`, `_` and `\` are escaped, so they match themselves instead of acting as wildcards.
pub fn name_contains(text: &str) -> dsl::Escape<dsl::Like<lower<person::name>, String>> {
    lower(person::name).like(like_pattern(text)).escape(ESCAPE)
}

fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
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
    fn matches_anywhere_lower_cased() {
        assert_eq!(like_pattern("Ada"), "%ada%");
        assert_eq!(like_pattern("ZOË"), "%zoë%");
    }

    #[test]
    fn wildcards_and_the_escape_character_match_themselves() {
        assert_eq!(like_pattern("100%"), r"%100\%%");
        assert_eq!(like_pattern("a_b"), r"%a\_b%");
        assert_eq!(like_pattern(r"back\slash"), r"%back\\slash%");
    }
}
