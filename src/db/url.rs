//! Which backend a configured database URL names. One binary serves both, so the choice is
//! made at launch from the URL alone: `postgres://` or `postgresql://` is PostgreSQL,
//! `sqlite://PATH`, `sqlite:PATH` or a plain path is a SQLite file, anything else is refused.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// The URL exactly as configured: tokio-postgres parses it.
    Postgres(String),
    /// A file path for SQLite; the file is created on first connect.
    Sqlite(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("the database URL is empty; set `databases.people.url` (see README)")]
    Empty,
    #[error(
        "the database URL scheme `{0}:` is not supported; use `postgres://...`, `sqlite://PATH` or a file path"
    )]
    UnsupportedScheme(String),
    #[error(
        "an in-memory SQLite database would be a different empty database on every pooled connection; use a file path"
    )]
    InMemorySqlite,
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, UrlError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(UrlError::Empty);
        }
        let Some(scheme) = scheme_of(url) else {
            return sqlite_path(url);
        };
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Ok(Self::Postgres(url.to_owned())),
            "sqlite" => {
                let rest = &url[scheme.len() + 1..];
                sqlite_path(rest.strip_prefix("//").unwrap_or(rest))
            }
            _ => Err(UrlError::UnsupportedScheme(scheme.to_owned())),
        }
    }
}

/// The RFC 3986 scheme, if the URL starts with one. A single letter is taken as a Windows
/// drive (`C:\people.db`), not a scheme.
fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_is_scheme = chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    (scheme.len() > 1 && starts_with_letter && rest_is_scheme).then_some(scheme)
}

fn sqlite_path(path: &str) -> Result<DatabaseUrl, UrlError> {
    match path {
        "" => Err(UrlError::Empty),
        ":memory:" => Err(UrlError::InMemorySqlite),
        path => Ok(DatabaseUrl::Sqlite(path.to_owned())),
    }
}

impl fmt::Display for DatabaseUrl {
    /// Never prints a PostgreSQL credential: this ends up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "SQLite file {path}"),
            Self::Postgres(url) => write!(f, "PostgreSQL at {}", masked(url)),
        }
    }
}

/// The URL with its user and password (`user:pass@`) and every `password`-like parameter
/// (`?password=`, `sslpassword=`) replaced by `***`: libpq takes a password either way.
fn masked(url: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut shown = match base.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => format!("{scheme}://***{}", &rest[at..]),
                None => base.to_owned(),
            }
        }
        None => base.to_owned(),
    };
    if !query.is_empty() {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.to_ascii_lowercase().contains("password") => {
                    format!("{key}=***")
                }
                _ => pair.to_owned(),
            })
            .collect();
        shown.push('?');
        shown.push_str(&pairs.join("&"));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_schemes_keep_the_whole_url() {
        for url in [
            "postgres://u@h/db",
            "postgresql://u:p@h:5432/db?sslmode=require",
            "POSTGRES://h/db",
        ] {
            assert_eq!(
                DatabaseUrl::parse(url),
                Ok(DatabaseUrl::Postgres(url.into()))
            );
        }
    }

    #[test]
    fn sqlite_urls_and_plain_paths_name_a_file() {
        for (url, path) in [
            ("sqlite://people.db", "people.db"),
            ("sqlite:///tmp/people.db", "/tmp/people.db"),
            ("sqlite:people.db", "people.db"),
            ("people.db", "people.db"),
            ("./data/people.db", "./data/people.db"),
            ("/var/lib/people/people.db", "/var/lib/people/people.db"),
            ("C:\\data\\people.db", "C:\\data\\people.db"),
        ] {
            assert_eq!(
                DatabaseUrl::parse(url),
                Ok(DatabaseUrl::Sqlite(path.into()))
            );
        }
    }

    #[test]
    fn other_schemes_are_refused_by_name() {
        assert_eq!(
            DatabaseUrl::parse("mysql://root@localhost/people"),
            Err(UrlError::UnsupportedScheme("mysql".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("file:people.db"),
            Err(UrlError::UnsupportedScheme("file".into()))
        );
    }

    #[test]
    fn empty_and_in_memory_are_refused() {
        assert_eq!(DatabaseUrl::parse("  "), Err(UrlError::Empty));
        assert_eq!(DatabaseUrl::parse("sqlite://"), Err(UrlError::Empty));
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:"),
            Err(UrlError::InMemorySqlite)
        );
        assert_eq!(
            DatabaseUrl::parse(":memory:"),
            Err(UrlError::InMemorySqlite)
        );
    }

    #[test]
    fn display_hides_postgres_credentials() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db.example:5432/people").unwrap();
        assert_eq!(
            url.to_string(),
            "PostgreSQL at postgres://***@db.example:5432/people"
        );
    }

    #[test]
    fn display_hides_passwords_given_as_parameters() {
        for (url, shown) in [
            (
                "postgres://app@db.example/people?password=s3cret&sslmode=require",
                "PostgreSQL at postgres://***@db.example/people?password=***&sslmode=require",
            ),
            (
                "postgresql://db.example/people?sslmode=verify-full&sslpassword=k3y&password=p%40ss",
                "PostgreSQL at postgresql://db.example/people?sslmode=verify-full&sslpassword=***&password=***",
            ),
            (
                "postgres://u:p@ss@db/people?application_name=a@b",
                "PostgreSQL at postgres://***@db/people?application_name=a@b",
            ),
        ] {
            assert_eq!(DatabaseUrl::parse(url).unwrap().to_string(), shown, "{url}");
        }
    }
}
