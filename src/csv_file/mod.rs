//! People as CSV, both ways, with no database in sight: writing rows for the export
//! (`export`: RFC 4180, formula-leading names neutralised), reading an uploaded file into
//! numbered rows (`read`: UTF-8 with or without BOM, comma or semicolon, a `name` column), and
//! deciding which rows an import would add and which it refuses, and why (`plan`). The models
//! say which names are taken; the routes stream and store.

mod export;
mod plan;
mod read;

pub use export::{HEADER, encode_rows};
pub use plan::ImportPlan;
pub use read::{CsvRow, FileError, read_rows};

/// What spreadsheets take as the start of a formula (OWASP's CSV-injection list). A name
/// starting with one is exported behind an apostrophe, which an import takes off again.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
