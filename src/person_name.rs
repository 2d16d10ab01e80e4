//! A person's name, parsed once at the edge: anything holding a `PersonName` holds a name
//! the database will accept, in the one form it is stored in.

use std::fmt;

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("Enter a name.")]
    Empty,
    #[error("Use at most {max} characters; this name has {actual}.", max = PersonName::MAX_CHARS)]
    TooLong { actual: usize },
    // Invisible in the list, able to reorder what is shown around them, and PostgreSQL refuses
    // NUL outright.
    #[error("Names cannot contain invisible control characters.")]
    ControlCharacter,
    // Unicode's format characters (Cf): zero-width spaces, soft hyphens, direction marks. A
    // name with one looks exactly like the name without it.
    #[error(
        "Names cannot contain invisible formatting characters, such as zero-width spaces, soft hyphens or direction marks."
    )]
    InvisibleCharacter,
}

impl PersonName {
    /// The Flask original's `db.String(80)` (`bench/peer/app.py`), counted in characters,
    /// not bytes, so "Zoë" is three.
    pub const MAX_CHARS: usize = 80;

    /// Trims, turns every run of whitespace (tabs and line breaks included) into one space,
    /// and normalises to NFC, so "Zoë" typed with a combining accent is the same "Zoë".
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let name: String = raw
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .nfc()
            .collect();
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.chars().any(is_hidden_control) {
            return Err(NameError::ControlCharacter);
        }
        if has_stray_format_character(&name) {
            return Err(NameError::InvisibleCharacter);
        }
        let actual = name.chars().count();
        if actual > Self::MAX_CHARS {
            return Err(NameError::TooLong { actual });
        }
        Ok(Self(name))
    }

    /// [`parse`](Self::parse), after holding the text as sent to what the JSON API's schema
    /// says of it ([`SCHEMA_PATTERN`], at most [`MAX_CHARS`](Self::MAX_CHARS) characters):
    /// no control character at all (not even the tab or line break a form tidies into a
    /// space), and no more than 80 characters before trimming. The API refuses exactly what
    /// its schema refuses, so a client that checks against the schema is never contradicted.
    pub fn parse_as_sent(raw: &str) -> Result<Self, NameError> {
        if raw.chars().any(is_hidden_control) {
            return Err(NameError::ControlCharacter);
        }
        let actual = raw.chars().count();
        if actual > Self::MAX_CHARS {
            return Err(NameError::TooLong { actual });
        }
        Self::parse(raw)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as uniqueness sees it: "Ada Lovelace" and "ADA LOVELACE" have one key. Stored
    /// in `person.name_key` under a unique index, so the database enforces it under races.
    pub fn key(&self) -> String {
        key_of(&self.0)
    }

    /// What the forms and the API say when the unique index refuses this name.
    pub fn taken_message(&self) -> String {
        format!("{self} is already taken.")
    }
}

/// Any text folded the way names are keyed: whitespace runs collapsed, lower case, NFC, and
/// without format characters (the joiners names may keep, and any a legacy row holds), so
/// names that look the same have one key. A search for this inside `name_key` ignores case
/// and composition like uniqueness does.
pub fn key_of(text: &str) -> String {
    let visible: String = text.chars().filter(|c| !is_format(*c)).collect();
    let collapsed = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .nfc()
        .collect::<String>()
        .to_lowercase()
        .nfc()
        .collect()
}

/// [`is_hidden_control`] as a JSON Schema (ECMA-262) `pattern`: no character of that class.
pub const SCHEMA_PATTERN: &str =
    r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]*$";

/// C0/C1 controls (NUL, escape, ...), and the bidirectional overrides and isolates that can
/// make a name display as something else.
fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn is_format(c: char) -> bool {
    c.general_category() == GeneralCategory::Format
}

/// The zero-width joiner and non-joiner, which Persian, the Indic scripts and emoji sequences
/// need inside a word ("می‌خواهم"), are the only format characters kept, and only between
/// two visible characters; every other one (Unicode's Cf category) is refused. The key
/// ignores the joiners, so "A\u{200C}da" cannot sit beside "Ada".
fn has_stray_format_character(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    let visible = |c: Option<&char>| c.is_some_and(|c| !c.is_whitespace() && !is_format(*c));
    chars.iter().enumerate().any(|(i, &c)| {
        is_format(c)
            && !(matches!(c, '\u{200C}' | '\u{200D}')
                && i > 0
                && visible(chars.get(i - 1))
                && visible(chars.get(i + 1)))
    })
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_an_ordinary_name() {
        assert_eq!(
            PersonName::parse("Ada Lovelace").unwrap().as_str(),
            "Ada Lovelace"
        );
    }

    #[test]
    fn trims_surrounding_whitespace() {
        assert_eq!(
            PersonName::parse("  Ada Lovelace \u{3000}")
                .unwrap()
                .as_str(),
            "Ada Lovelace"
        );
    }

    #[test]
    fn refuses_empty_and_whitespace_only() {
        for raw in ["", " ", "   \u{a0}\u{2003} "] {
            assert_eq!(PersonName::parse(raw), Err(NameError::Empty), "{raw:?}");
        }
    }

    #[test]
    fn counts_characters_not_bytes() {
        let eighty_multibyte = "é".repeat(80);
        assert_eq!(eighty_multibyte.len(), 160);
        assert!(PersonName::parse(&eighty_multibyte).is_ok());
        assert_eq!(
            PersonName::parse(&"李".repeat(81)),
            Err(NameError::TooLong { actual: 81 })
        );
    }

    #[test]
    fn eighty_characters_fit_and_eighty_one_do_not() {
        assert!(PersonName::parse(&"a".repeat(80)).is_ok());
        assert_eq!(
            PersonName::parse(&"a".repeat(81)),
            Err(NameError::TooLong { actual: 81 })
        );
    }

    #[test]
    fn length_is_measured_after_trimming() {
        let padded = format!("  {}  ", "a".repeat(80));
        assert_eq!(PersonName::parse(&padded).unwrap().as_str().len(), 80);
    }

    #[test]
    fn keeps_non_ascii_names() {
        assert_eq!(
            PersonName::parse("Zoë 李小龙").unwrap().as_str(),
            "Zoë 李小龙"
        );
    }

    #[test]
    fn refuses_hidden_control_characters_inside() {
        for raw in [
            "Ada\0",
            "Ada\u{7f}",
            "Ada\u{1b}[31m",
            "Ada\u{202E}ecalevoL",
            "\u{FEFF}Ada x",
        ] {
            assert_eq!(
                PersonName::parse(raw),
                Err(NameError::ControlCharacter),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn refuses_invisible_format_characters() {
        for raw in [
            "Ada Lovelace\u{200B}",
            "Ada\u{200B}Lovelace",
            "Ada\u{00AD}Lovelace",
            "Ada\u{200E} Lovelace",
            "Ada\u{200F}",
            "Ada\u{2060}Lovelace",
            "Ada\u{061C}",
            "Ada\u{2062}x",
            "\u{200D}Ada",
            "Ada\u{200C}",
            "Ada\u{200C} Lovelace",
            "Ada\u{200C}\u{200C}Lovelace",
            "Ada\u{E0001}",
        ] {
            assert_eq!(
                PersonName::parse(raw),
                Err(NameError::InvisibleCharacter),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn keeps_joiners_inside_words_and_keys_names_without_them() {
        let persian = "می\u{200C}خواهم";
        assert_eq!(PersonName::parse(persian).unwrap().as_str(), persian);
        let family = "👩\u{200D}👩\u{200D}👧 Ada";
        assert!(PersonName::parse(family).is_ok());
        let key = |raw: &str| PersonName::parse(raw).unwrap().key();
        assert_eq!(key("A\u{200C}da Lovelace"), key("Ada Lovelace"));
        assert_eq!(key_of("Ada\u{200B} Lovelace"), "ada lovelace");
    }

    #[test]
    fn collapses_inner_whitespace_runs_including_tabs_and_line_breaks() {
        for raw in [
            "Ada   Lovelace",
            "Ada\tLovelace",
            "Ada\r\n Lovelace",
            " Ada \u{a0} Lovelace ",
        ] {
            assert_eq!(
                PersonName::parse(raw).unwrap().as_str(),
                "Ada Lovelace",
                "{raw:?}"
            );
        }
    }

    #[test]
    fn normalises_to_nfc() {
        let name = PersonName::parse("Zoe\u{301}").unwrap();
        assert_eq!(name.as_str(), "Zo\u{e9}");
        assert_eq!(name.as_str().chars().count(), 3);
    }

    #[test]
    fn key_ignores_case_spacing_and_composition() {
        let key = |raw: &str| PersonName::parse(raw).unwrap().key();
        assert_eq!(key("Ada Lovelace"), key("ada  LOVELACE"));
        assert_eq!(key("ZOÉ"), key("zoe\u{301}"));
        assert_eq!(key("Zoë 李小龙"), "zoë 李小龙");
        assert_ne!(key("Ada Lovelace"), key("Ada Lovelac"));
    }

    #[test]
    fn length_counts_the_normalised_name() {
        // 80 letters each with a combining accent: 160 code points typed, 80 characters stored.
        let typed = "e\u{301}".repeat(80);
        assert_eq!(
            PersonName::parse(&typed).unwrap().as_str().chars().count(),
            80
        );
    }

    #[test]
    fn as_sent_the_text_must_already_fit_the_schema() {
        assert_eq!(
            PersonName::parse_as_sent("  Ada  ").unwrap().as_str(),
            "Ada"
        );
        assert_eq!(
            PersonName::parse_as_sent("Ada\tLovelace"),
            Err(NameError::ControlCharacter)
        );
        let padded = format!(" {}", "a".repeat(80));
        assert!(PersonName::parse(&padded).is_ok());
        assert_eq!(
            PersonName::parse_as_sent(&padded),
            Err(NameError::TooLong { actual: 81 })
        );
        assert_eq!(PersonName::parse_as_sent(" "), Err(NameError::Empty));
    }

    #[test]
    fn the_schema_pattern_refuses_exactly_the_hidden_controls() {
        let pattern = regex::Regex::new(SCHEMA_PATTERN).expect("a valid pattern");
        for c in (0..=0x3000)
            .chain(0xFE00..=0xFFFF)
            .filter_map(char::from_u32)
        {
            assert_eq!(
                pattern.is_match(&format!("a{c}b")),
                !is_hidden_control(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(NameError::Empty.to_string(), "Enter a name.");
        assert_eq!(
            NameError::ControlCharacter.to_string(),
            "Names cannot contain invisible control characters."
        );
        assert!(
            NameError::InvisibleCharacter
                .to_string()
                .contains("zero-width spaces")
        );
        assert_eq!(
            NameError::TooLong { actual: 81 }.to_string(),
            "Use at most 80 characters; this name has 81."
        );
    }

    proptest::proptest! {
        /// A key is its own key: list cursors refuse text that is not (an old cursor's name),
        /// so every stored key must pass.
        #[test]
        fn keys_are_their_own_keys(name in "\\PC{0,40}") {
            let key = key_of(&name);
            proptest::prop_assert_eq!(key_of(&key), key);
        }
    }
}
