//! `If-Match: "3"`: the version an API client read, as HTTP's precondition header. Our ETags
//! are the person's version, quoted (`PersonJson::etag`).

use std::convert::Infallible;

use rocket::request::{FromRequest, Outcome, Request};
use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

/// The header as sent: absent, a version, or something we cannot honour.
pub enum IfMatch {
    Absent,
    Version(i32),
    /// `*`, weak tags, lists, junk: the message says what to send instead.
    Unusable(String),
}

/// One quoted version, as `PersonJson::etag` writes it; `parse` holds to the same.
const PATTERN: &str = r#"^"[0-9]{1,10}"$"#;

impl IfMatch {
    pub fn parse(header: &str) -> Self {
        let tag = header.trim();
        let version = tag
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .filter(|v| (1..=10).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse().ok());
        match version {
            Some(version) => Self::Version(version),
            None => Self::Unusable(format!(
                "If-Match must be one ETag this API sent, such as \"3\"; got {tag}."
            )),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for IfMatch {
    type Error = Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Infallible> {
        Outcome::Success(
            request
                .headers()
                .get_one("If-Match")
                .map_or(Self::Absent, Self::parse),
        )
    }
}

/// The header in the OpenAPI document.
impl IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let schema = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(PATTERN));
        vec![
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "The ETag of the version the change is based on, such as \"3\"; instead \
                     of (or equal to) the body's `version`. `*`, weak tags and lists are refused.",
                ))
                .schema(Some(schema))
                .build(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::IfMatch;

    #[test]
    fn a_quoted_version_is_read() {
        assert!(matches!(IfMatch::parse("\"3\""), IfMatch::Version(3)));
        assert!(matches!(IfMatch::parse(" \"12\" "), IfMatch::Version(12)));
    }

    #[test]
    fn anything_else_is_unusable() {
        for header in [
            "3",
            "*",
            "W/\"3\"",
            "\"3\", \"4\"",
            "\"x\"",
            "\"99999999999\"",
            "\"+3\"",
            "\"-1\"",
            "\" 3\"",
        ] {
            assert!(
                matches!(IfMatch::parse(header), IfMatch::Unusable(_)),
                "{header}"
            );
        }
    }
}
