//! An uploaded file as numbered rows of names. The file is the user's spreadsheet saved as
//! CSV: UTF-8 with or without a byte-order mark, separated by commas or (as spreadsheets in
//! many languages save it) semicolons, with a header row naming a `name` column. An `id`
//! column (as the export writes) and any other column are ignored.

use rocket::http::Status;

use super::FORMULA_STARTS;
use crate::numbers::thousands;

/// A data row: its line in the file (the header is line 1) and the name cell as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub line: u64,
    pub name: String,
}

/// Why a file cannot be read at all (rather than some of its rows refused).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("Choose a CSV file to import.")]
    NoFile,
    #[error(
        "This file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and try again."
    )]
    NotUtf8,
    #[error(
        "This is not a CSV file: it holds binary data. Save your spreadsheet as CSV and try again."
    )]
    NotCsv,
    #[error(
        "The first line must name the columns, one of them “name” (for example: id,name). This file's first line is: {found}"
    )]
    NoNameColumn { found: String },
    #[error("The file has no rows below its header.")]
    NoRows,
    #[error("The file has more than {max} rows; split it into files of at most {max}.", max = thousands(*.max))]
    TooManyRows { max: usize },
    #[error("Line {line} could not be read as CSV: {reason}.")]
    Malformed { line: u64, reason: String },
}

impl FileError {
    /// The HTTP status a page or the API answers with it.
    pub fn status(&self) -> Status {
        match self {
            Self::NotUtf8 | Self::NoNameColumn { .. } | Self::Malformed { .. } => {
                Status::BadRequest
            }
            Self::NotCsv => Status::UnsupportedMediaType,
            Self::TooManyRows { .. } => Status::PayloadTooLarge,
            Self::NoFile | Self::NoRows => Status::UnprocessableEntity,
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16_LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16_BE_BOM: &[u8] = b"\xFE\xFF";

/// The file's rows, or why it cannot be read. More than `max_rows` rows refuses the file.
pub fn read_rows(bytes: &[u8], max_rows: usize) -> Result<Vec<CsvRow>, FileError> {
    if bytes.is_empty() {
        return Err(FileError::NoFile);
    }
    if bytes.starts_with(UTF16_LE_BOM) || bytes.starts_with(UTF16_BE_BOM) {
        return Err(FileError::NotUtf8);
    }
    // No text file holds NUL bytes; images, spreadsheets' own formats and archives do.
    if bytes.contains(&0) {
        return Err(FileError::NotCsv);
    }
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
    let first_line = text.lines().next().unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter_of(first_line))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let name_column = reader
        .headers()
        .map_err(|e| malformed(1, &e))?
        .iter()
        .position(|column| column.trim().eq_ignore_ascii_case("name"))
        .ok_or_else(|| FileError::NoNameColumn {
            found: first_line.chars().take(200).collect(),
        })?;
    let mut lines = LineCounter::new(text);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = lines.line_of(e.position());
            malformed(line, &e)
        })?;
        if rows.len() == max_rows {
            return Err(FileError::TooManyRows { max: max_rows });
        }
        let line = lines.line_of(record.position());
        let name = record.get(name_column).unwrap_or_default();
        rows.push(CsvRow {
            line,
            name: unneutralised(name).to_owned(),
        });
    }
    if rows.is_empty() {
        return Err(FileError::NoRows);
    }
    Ok(rows)
}

/// Line numbers as an editor shows them (the header is line 1), counted from the byte where
/// each record starts: the csv crate's own line count is off by one after a CRLF (it ends the
/// record at the CR, so the record after starts at the LF).
struct LineCounter<'t> {
    text: &'t str,
    counted_to: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            counted_to: 0,
            line: 1,
        }
    }

    /// The line of the record at `position`; records come in file order.
    fn line_of(&mut self, position: Option<&csv::Position>) -> u64 {
        let mut byte = position
            .map_or(0, |p| p.byte() as usize)
            .min(self.text.len());
        if self.text.as_bytes().get(byte) == Some(&b'\n') {
            byte += 1;
        }
        if byte > self.counted_to {
            let newlines = self.text.as_bytes()[self.counted_to..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line += newlines as u64;
            self.counted_to = byte;
        }
        self.line
    }
}

/// Semicolons when the header has more of them than commas: what spreadsheets save where the
/// comma is the decimal separator.
fn delimiter_of(header: &str) -> u8 {
    let count = |c| header.chars().filter(|&x| x == c).count();
    if count(';') > count(',') { b';' } else { b',' }
}

/// Undoes the export's apostrophe before a formula start, so an export imports as it was.
fn unneutralised(name: &str) -> &str {
    match name.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => name,
    }
}

fn malformed(line: u64, error: &csv::Error) -> FileError {
    let reason = match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "it is not UTF-8 text".to_owned(),
        other => format!("{other:?}"),
    };
    FileError::Malformed { line, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(u64, String)> {
        read_rows(text.as_bytes(), 100)
            .unwrap()
            .into_iter()
            .map(|row| (row.line, row.name))
            .collect()
    }

    #[test]
    fn reads_the_name_column_with_line_numbers() {
        assert_eq!(
            names("id,name\r\n7,Ada\r\n,\"King, Ada\"\r\n"),
            [(2, "Ada".to_owned()), (3, "King, Ada".to_owned())]
        );
    }

    #[test]
    fn takes_a_bom_semicolons_and_other_columns() {
        assert_eq!(
            names("\u{feff}Name;Notes\n\"Ada; Countess\";x\nGrace;\n"),
            [(2, "Ada; Countess".to_owned()), (3, "Grace".to_owned())]
        );
    }

    #[test]
    fn a_quoted_line_break_keeps_later_line_numbers_true() {
        assert_eq!(
            names("name\n\"Ada\nLovelace\"\nGrace\n"),
            [(2, "Ada\nLovelace".to_owned()), (4, "Grace".to_owned())]
        );
    }

    #[test]
    fn undoes_the_exports_apostrophe_only_before_a_formula() {
        assert_eq!(
            names("name\n'=1+2\n'@x\n't Hooft\n"),
            [
                (2, "=1+2".to_owned()),
                (3, "@x".to_owned()),
                (4, "'t Hooft".to_owned())
            ]
        );
    }

    #[test]
    fn refuses_files_it_cannot_read() {
        assert_eq!(read_rows(b"", 10), Err(FileError::NoFile));
        assert_eq!(read_rows(b"name\n\xff\xfeA\n", 10), Err(FileError::NotUtf8));
        assert_eq!(read_rows(b"\x89PNG\0\0name", 10), Err(FileError::NotCsv));
        assert_eq!(
            read_rows(b"\xFF\xFEn\0a\0m\0e\0", 10),
            Err(FileError::NotUtf8)
        );
        assert_eq!(read_rows(b"name\n", 10), Err(FileError::NoRows));
        assert!(matches!(
            read_rows(b"Ada\nGrace\n", 10),
            Err(FileError::NoNameColumn { found }) if found == "Ada"
        ));
        assert_eq!(
            read_rows(b"name\na\nb\nc\n", 2),
            Err(FileError::TooManyRows { max: 2 })
        );
        assert_eq!(
            FileError::TooManyRows { max: 100_000 }.to_string(),
            "The file has more than 100,000 rows; split it into files of at most 100,000."
        );
    }
}
