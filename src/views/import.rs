//! The import pages: the upload form (with what was wrong with the last file, if anything)
//! and the preview, whose Confirm button sends the same file back.

use askama::Template;
use askama_web::WebTemplate;
use rocket::data::ByteUnit;

use super::paths;
use crate::csv_file::ImportPlan;
use crate::forms::{CsrfToken, ImportLimits, previewed_field};
use crate::numbers::thousands;

#[derive(Template, WebTemplate)]
#[template(path = "people/import.html")]
pub struct ImportPage {
    pub csrf_token: String,
    /// Why the last file could not be read.
    pub error: Option<String>,
    pub max_size: String,
    pub max_rows: String,
}

impl ImportPage {
    pub fn new(csrf: CsrfToken, limits: ImportLimits, error: Option<String>) -> Self {
        Self {
            csrf_token: csrf.0,
            error,
            max_size: size_text(limits.max_bytes),
            max_rows: thousands(limits.max_rows),
        }
    }
}

/// `ByteUnit` prints "5MiB"; people write "5 MiB".
fn size_text(size: ByteUnit) -> String {
    let text = size.to_string();
    match text.find(char::is_alphabetic) {
        Some(at) => format!("{} {}", &text[..at], &text[at..]),
        None => text,
    }
}

/// One refused row, as the preview lists it.
pub struct RefusedRow {
    pub line: u64,
    pub name: String,
    pub message: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/import_preview.html")]
pub struct PreviewPage {
    pub csrf_token: String,
    pub to_add: usize,
    pub to_add_text: String,
    pub refused: Vec<RefusedRow>,
    pub refused_text: String,
    /// The uploaded file, for the Confirm form to send back.
    pub previewed: String,
    pub fingerprint: String,
    /// The import was refused because the people changed since the preview the user saw.
    pub changed: bool,
}

impl PreviewPage {
    pub fn new(plan: &ImportPlan, file: &[u8], csrf: CsrfToken, changed: bool) -> Self {
        let to_add = plan.accepted.len();
        Self {
            csrf_token: csrf.0,
            to_add,
            to_add_text: people_text(to_add),
            refused_text: rows(plan.refused.len()),
            refused: plan
                .refused
                .iter()
                .map(|row| RefusedRow {
                    line: row.line,
                    name: row.name.clone(),
                    message: row.reason.to_string(),
                })
                .collect(),
            previewed: previewed_field(file),
            fingerprint: plan.fingerprint(),
            changed,
        }
    }
}

/// "1 person", "2,000 people".
pub fn people_text(n: usize) -> String {
    match n {
        1 => "1 person".to_owned(),
        n => format!("{} people", thousands(n)),
    }
}

fn rows(n: usize) -> String {
    match n {
        1 => "1 row".to_owned(),
        n => format!("{} rows", thousands(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_counts_read_naturally() {
        assert_eq!(size_text(ByteUnit::Mebibyte(5)), "5 MiB");
        assert_eq!(size_text(ByteUnit::Kibibyte(16)), "16 KiB");
        assert_eq!(people_text(1), "1 person");
        assert_eq!(people_text(100_000), "100,000 people");
        assert_eq!(rows(0), "0 rows");
    }
}
