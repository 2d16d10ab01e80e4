//! `public_origin`: the origin(s) browsers see when a reverse proxy stands in front, e.g.
//! `https://people.example.com`. A proxy passes requests on with a `Host` of its choosing, so
//! the CSRF check cannot compare a browser's `Origin` with `Host` there: it compares with
//! these instead (like Django's `CSRF_TRUSTED_ORIGINS`). When every one is `https://`, the
//! proxy terminates TLS, so cookies are marked `Secure` and pages carry
//! `Strict-Transport-Security` for `hsts_max_age` seconds.

use rocket::figment::Figment;
use serde::Deserialize;

/// Rocket's own default for HSTS: one year.
const DEFAULT_HSTS_MAX_AGE: u64 = 365 * 24 * 60 * 60;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicOrigins {
    /// Normalised: `scheme://host[:port]`, lowercase, no default port, no trailing slash.
    origins: Vec<String>,
    pub hsts_max_age: u64,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PublicOriginsError {
    #[error(
        "public_origin {0:?} is not an origin: write scheme://host[:port], e.g. \
         https://people.example.com (no path)"
    )]
    NotAnOrigin(String),
    #[error("public_origin must be a string or a list of strings: {0}")]
    Type(String),
    #[error("hsts_max_age must be a whole number of seconds: {0}")]
    HstsMaxAge(String),
}

/// One origin, or several (`["https://a.example", "https://b.example"]`).
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl PublicOrigins {
    pub fn from_figment(figment: &Figment) -> Result<Self, PublicOriginsError> {
        let configured = match figment.find_value("public_origin") {
            Err(_) => Vec::new(),
            Ok(value) => match value.deserialize::<OneOrMany>() {
                Ok(OneOrMany::One(origin)) => vec![origin],
                Ok(OneOrMany::Many(origins)) => origins,
                Err(e) => return Err(PublicOriginsError::Type(e.to_string())),
            },
        };
        let hsts_max_age = match figment.find_value("hsts_max_age") {
            Err(_) => DEFAULT_HSTS_MAX_AGE,
            Ok(value) => value
                .deserialize()
                .map_err(|e| PublicOriginsError::HstsMaxAge(e.to_string()))?,
        };
        Self::parse(&configured, hsts_max_age)
    }

    pub fn parse(origins: &[String], hsts_max_age: u64) -> Result<Self, PublicOriginsError> {
        let origins = origins
            .iter()
            .map(|origin| {
                normalise(origin).ok_or_else(|| PublicOriginsError::NotAnOrigin(origin.clone()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            origins,
            hsts_max_age,
        })
    }

    pub fn is_set(&self) -> bool {
        !self.origins.is_empty()
    }

    /// Whether a browser's `Origin` header names one of them.
    pub fn allows(&self, origin_header: &str) -> bool {
        normalise(origin_header).is_some_and(|origin| self.origins.contains(&origin))
    }

    /// Browsers reach the app only over TLS (terminated by the proxy): cookies must be
    /// `Secure` and HSTS is sent.
    pub fn https_only(&self) -> bool {
        self.is_set()
            && self
                .origins
                .iter()
                .all(|origin| origin.starts_with("https://"))
    }
}

/// `HTTPS://People.Example.com:443/` -> `https://people.example.com`; `None` for anything
/// that is not an http(s) origin (a path, a query, credentials, no host, `null`).
fn normalise(origin: &str) -> Option<String> {
    let origin = origin.trim().to_ascii_lowercase();
    let (scheme, rest) = origin.split_once("://")?;
    let default_port = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => return None,
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    let valid = !authority.is_empty()
        && !authority.starts_with(':')
        && authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    if !valid {
        return None;
    }
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    Some(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use rocket::figment::providers::Serialized;

    use super::*;

    fn origins(list: &[&str]) -> PublicOrigins {
        let list: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
        PublicOrigins::parse(&list, 60).expect("valid origins")
    }

    #[test]
    fn origins_compare_normalised() {
        let public = origins(&["https://People.Example.com/", "http://127.0.0.1:8080"]);
        assert!(public.allows("https://people.example.com"));
        assert!(public.allows("https://people.example.com:443"));
        assert!(public.allows("http://127.0.0.1:8080"));
        assert!(!public.allows("http://people.example.com"));
        assert!(!public.allows("https://people.example.com.evil.example"));
        assert!(!public.allows("https://evil.example"));
        assert!(!public.allows("null"));
    }

    #[test]
    fn only_origins_are_accepted() {
        for bad in [
            "people.example.com",
            "https://people.example.com/path",
            "https://user@people.example.com",
            "ftp://people.example.com",
            "https://",
            "https://people.example.com?x",
        ] {
            assert_eq!(
                PublicOrigins::parse(&[bad.to_owned()], 60),
                Err(PublicOriginsError::NotAnOrigin(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn https_only_when_every_origin_is_https() {
        assert!(origins(&["https://a.example", "https://b.example"]).https_only());
        assert!(!origins(&["https://a.example", "http://b.example"]).https_only());
        assert!(!origins(&[]).https_only());
    }

    #[test]
    fn one_origin_or_a_list_from_the_configuration() {
        let one = Figment::from(Serialized::defaults(serde_json::json!({
            "public_origin": "https://a.example"
        })));
        let public = PublicOrigins::from_figment(&one).expect("one origin");
        assert!(public.allows("https://a.example"));
        assert_eq!(public.hsts_max_age, DEFAULT_HSTS_MAX_AGE);

        let many = Figment::from(Serialized::defaults(serde_json::json!({
            "public_origin": ["https://a.example", "https://b.example"],
            "hsts_max_age": 600
        })));
        let public = PublicOrigins::from_figment(&many).expect("a list");
        assert!(public.allows("https://b.example"));
        assert_eq!(public.hsts_max_age, 600);

        assert!(
            !PublicOrigins::from_figment(&Figment::new())
                .expect("none")
                .is_set()
        );
    }
}
