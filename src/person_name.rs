//! A person's name, parsed once at the edge: anything holding a `PersonName` holds a name
//! the database will accept.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("Enter a name.")]
    Empty,
    #[error("Use at most {max} characters; this name has {actual}.", max = PersonName::MAX_CHARS)]
    TooLong { actual: usize },
    // Control characters are invisible in the list and PostgreSQL refuses NUL outright.
    #[error("Names cannot contain control characters such as tabs or line breaks.")]
    ControlCharacter,
}

impl PersonName {
    /// The seed's `String(80)`: characters, not bytes, so "Zoë" is three.
    pub const MAX_CHARS: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.chars().any(char::is_control) {
            return Err(NameError::ControlCharacter);
        }
        let actual = name.chars().count();
        if actual > Self::MAX_CHARS {
            return Err(NameError::TooLong { actual });
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the forms and the API say when the unique index refuses this name.
    pub fn taken_message(&self) -> String {
        format!("{self} is already taken.")
    }
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
    fn refuses_control_characters_inside() {
        for raw in ["Ada\nLovelace", "Ada\tLovelace", "Ada\0", "Ada\u{7f}"] {
            assert_eq!(
                PersonName::parse(raw),
                Err(NameError::ControlCharacter),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(NameError::Empty.to_string(), "Enter a name.");
        assert_eq!(
            NameError::TooLong { actual: 81 }.to_string(),
            "Use at most 80 characters; this name has 81."
        );
    }
}
