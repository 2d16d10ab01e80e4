//! The export's bytes: a header row, then `id,name` rows, quoted as RFC 4180 says (fields with
//! a comma, a quote or a line break in quotes, quotes doubled, CRLF line ends).

use std::borrow::Cow;

use super::FORMULA_STARTS;

pub const HEADER: &[u8] = b"id,name\r\n";

/// The rows as CSV. Writing into memory cannot fail for lack of room; an error here is the
/// csv crate's own.
pub fn encode_rows<'a>(
    rows: impl IntoIterator<Item = (i32, &'a str)>,
) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for (id, name) in rows {
        writer.write_record([id.to_string().as_str(), &neutralised(name)])?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// A name a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+1`, `@SUM(...)`) gets a
/// leading apostrophe: spreadsheets show the cell as text and do not evaluate it.
fn neutralised(name: &str) -> Cow<'_, str> {
    if name.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{name}"))
    } else {
        Cow::Borrowed(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: &[(i32, &str)]) -> String {
        String::from_utf8(encode_rows(rows.iter().copied()).unwrap()).unwrap()
    }

    #[test]
    fn quotes_only_what_needs_it_with_crlf() {
        assert_eq!(
            text(&[
                (1, "Ada Lovelace"),
                (2, "King, Ada"),
                (3, "Ada \"the Countess\"")
            ]),
            "1,Ada Lovelace\r\n2,\"King, Ada\"\r\n3,\"Ada \"\"the Countess\"\"\"\r\n"
        );
    }

    #[test]
    fn formula_starts_are_neutralised() {
        assert_eq!(
            text(&[
                (1, "=1+2"),
                (2, "+44 Ada"),
                (3, "-x"),
                (4, "@SUM(A1)"),
                (5, "Ada=1")
            ]),
            "1,'=1+2\r\n2,'+44 Ada\r\n3,'-x\r\n4,'@SUM(A1)\r\n5,Ada=1\r\n"
        );
    }
}
