//! What an import would do with each row: add it, or refuse it with the message the add form
//! would give (empty, too long, invisible characters, already taken) or because the file
//! has the name on an earlier line. Building a plan writes nothing; the same file planned
//! twice against the same people gives the same plan, which `fingerprint` sums up so that a
//! confirmation can tell whether anything changed since its preview.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::read::CsvRow;
use crate::person_name::{NameError, PersonName};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowRefusal {
    Invalid(NameError),
    Taken(PersonName),
    Repeated { name: PersonName, first_line: u64 },
}

impl fmt::Display for RowRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(error) => error.fmt(f),
            Self::Taken(name) => f.write_str(&name.taken_message()),
            Self::Repeated { name, first_line } => {
                write!(f, "{name} is already on line {first_line} of this file.")
            }
        }
    }
}

/// A refused row: its line, the name as the file has it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub line: u64,
    pub name: String,
    pub reason: RowRefusal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    /// The names to add, in file order, each once.
    pub accepted: Vec<PersonName>,
    accepted_lines: Vec<u64>,
    pub refused: Vec<Refused>,
}

/// The rows parsed, before asking the database which names are taken.
pub struct ParsedRows {
    rows: Vec<(CsvRow, Result<PersonName, NameError>)>,
}

impl ParsedRows {
    /// The keys (`PersonName::key`) of every valid name, for the taken-name check.
    pub fn keys(&self) -> Vec<String> {
        let keys: HashSet<String> = self
            .rows
            .iter()
            .filter_map(|(_, name)| name.as_ref().ok().map(PersonName::key))
            .collect();
        keys.into_iter().collect()
    }
}

impl ImportPlan {
    /// Parses every name once, as the form does.
    pub fn parse(rows: Vec<CsvRow>) -> ParsedRows {
        let rows = rows
            .into_iter()
            .map(|row| {
                let name = PersonName::parse(&row.name);
                (row, name)
            })
            .collect();
        ParsedRows { rows }
    }

    /// The plan, given which of `parsed.keys()` belong to people already there.
    pub fn new(parsed: ParsedRows, taken: &HashSet<String>) -> Self {
        let mut first_lines: HashMap<String, u64> = HashMap::new();
        let mut plan = Self {
            accepted: Vec::new(),
            accepted_lines: Vec::new(),
            refused: Vec::new(),
        };
        for (row, name) in parsed.rows {
            let reason = match name {
                Err(error) => Some(RowRefusal::Invalid(error)),
                Ok(name) => {
                    let key = name.key();
                    if taken.contains(&key) {
                        Some(RowRefusal::Taken(name))
                    } else if let Some(&first_line) = first_lines.get(&key) {
                        Some(RowRefusal::Repeated { name, first_line })
                    } else {
                        first_lines.insert(key, row.line);
                        plan.accepted_lines.push(row.line);
                        plan.accepted.push(name);
                        None
                    }
                }
            };
            if let Some(reason) = reason {
                plan.refused.push(Refused {
                    line: row.line,
                    name: row.name,
                    reason,
                });
            }
        }
        plan
    }

    /// Which lines would be added, summed up (64-bit FNV-1a over the line numbers): the same
    /// on every instance and every run, so a confirmation sent to another instance behind a
    /// load balancer compares equal.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for line in &self.accepted_lines {
            for byte in line.to_le_bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{}-{hash:016x}", self.accepted.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(names: &[&str]) -> Vec<CsvRow> {
        names
            .iter()
            .zip(2..)
            .map(|(name, line)| CsvRow {
                line,
                name: (*name).to_owned(),
            })
            .collect()
    }

    fn plan(names: &[&str], taken: &[&str]) -> ImportPlan {
        let taken = taken
            .iter()
            .map(|t| PersonName::parse(t).unwrap().key())
            .collect();
        ImportPlan::new(ImportPlan::parse(rows(names)), &taken)
    }

    #[test]
    fn every_refusal_has_its_line_and_the_forms_words() {
        let long = "x".repeat(81);
        let plan = plan(
            &["Ada", "", &long, "Bad\u{1b}", "Grace", "ADA ", "Alan"],
            &["grace"],
        );
        let accepted: Vec<&str> = plan.accepted.iter().map(PersonName::as_str).collect();
        assert_eq!(accepted, ["Ada", "Alan"]);
        let refused: Vec<(u64, String)> = plan
            .refused
            .iter()
            .map(|r| (r.line, r.reason.to_string()))
            .collect();
        assert_eq!(
            refused,
            [
                (3, "Enter a name.".to_owned()),
                (4, "Use at most 80 characters; this name has 81.".to_owned()),
                (
                    5,
                    "Names cannot contain invisible control characters.".to_owned()
                ),
                (6, "Grace is already taken.".to_owned()),
                (7, "ADA is already on line 2 of this file.".to_owned()),
            ]
        );
    }

    #[test]
    fn the_fingerprint_changes_when_the_accepted_rows_do() {
        let before = plan(&["Ada", "Grace"], &[]);
        assert_eq!(
            before.fingerprint(),
            plan(&["Ada", "Grace"], &[]).fingerprint()
        );
        assert_ne!(
            before.fingerprint(),
            plan(&["Ada", "Grace"], &["ada"]).fingerprint()
        );
        assert_ne!(
            plan(&["Ada", "Grace"], &["ada"]).fingerprint(),
            plan(&["Ada", "Grace"], &["grace"]).fingerprint()
        );
    }
}
