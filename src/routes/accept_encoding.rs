//! Which stored form of an asset a client accepts, from its `Accept-Encoding`: brotli, then
//! gzip, then the file as it is. A coding with `q=0` is refused; `*` stands for the codings
//! not named. Identity is always acceptable: refusing it would only turn a page's stylesheet
//! into an error.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    /// The `Content-Encoding` value.
    pub fn name(self) -> &'static str {
        match self {
            Self::Brotli => "br",
            Self::Gzip => "gzip",
        }
    }
}

/// Whether `header` (an `Accept-Encoding` value) accepts `coding`.
pub fn accepts(header: &str, coding: Coding) -> bool {
    let mut wildcard = None;
    for entry in header.split(',') {
        let mut parts = entry.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let quality = parts
            .filter_map(|param| param.trim().strip_prefix("q="))
            .next()
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
        // An unreadable quality is treated as refusal: never guess a coding in.
        let accepted = quality.is_some_and(|q| q > 0.0);
        let named = match coding {
            Coding::Brotli => name.eq_ignore_ascii_case("br"),
            Coding::Gzip => {
                name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip")
            }
        };
        if named {
            return accepted;
        }
        if name == "*" {
            wildcard = Some(accepted);
        }
    }
    wildcard.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Coding::{Brotli, Gzip};

    #[test]
    fn browsers_usual_headers() {
        assert!(accepts("gzip, deflate, br, zstd", Brotli));
        assert!(accepts("gzip, deflate, br, zstd", Gzip));
        assert!(!accepts("gzip, deflate", Brotli));
        assert!(accepts("gzip, deflate", Gzip));
        assert!(!accepts("", Gzip));
        assert!(!accepts("identity", Brotli));
    }

    #[test]
    fn qualities_and_the_wildcard() {
        assert!(!accepts("br;q=0, gzip", Brotli));
        assert!(!accepts("br; q=0.0, gzip", Brotli));
        assert!(accepts("br;q=0.5", Brotli));
        assert!(accepts("*", Brotli));
        assert!(!accepts("*;q=0", Gzip));
        assert!(accepts("gzip;q=1, *;q=0", Gzip));
        assert!(!accepts("gzip;q=1, *;q=0", Brotli));
        assert!(!accepts("BR;q=nonsense", Brotli));
        assert!(accepts("X-GZIP", Gzip));
    }
}
