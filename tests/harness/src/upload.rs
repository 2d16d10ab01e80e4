//! The import form as a browser sends it: `multipart/form-data` with this session's CSRF
//! token and a file, and the preview's Confirm form sent back.

use rocket::http::{ContentType, Header};

use crate::app::TestApp;
use crate::form::hidden_value;
use crate::page::Page;

const BOUNDARY: &str = "----people-test-boundary-7MA4YWxkTrZu0gW";

/// One part of a multipart body: a plain field, or a file with its name.
pub enum Part<'a> {
    Field(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

/// `parts` as a `multipart/form-data` body, and its content type.
pub fn encode_multipart(parts: &[Part<'_>]) -> (ContentType, Vec<u8>) {
    let mut body = Vec::new();
    for part in parts {
        body.extend(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Field(name, value) => {
                body.extend(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                body.extend(value.as_bytes());
            }
            Part::File(name, filename, bytes) => {
                body.extend(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                         Content-Type: text/csv\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend(*bytes);
            }
        }
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    let content_type =
        ContentType::new("multipart", "form-data").with_params(("boundary", BOUNDARY));
    (content_type, body)
}

impl TestApp {
    /// The import form sent with `file` as `people.csv`, as a browser sends it.
    pub async fn upload_import(&self, file: &[u8]) -> Page {
        let token = self.csrf_token().await;
        self.post_multipart(
            "/people/import",
            &[
                Part::Field("csrf_token", &token),
                Part::File("file", "people.csv", file),
            ],
            &[],
        )
        .await
    }

    /// The Confirm button of a preview page.
    pub async fn confirm_import(&self, preview: &Page) -> Page {
        let token = hidden_value(&preview.body, "csrf_token");
        let csv = hidden_value(&preview.body, "csv");
        let expected = hidden_value(&preview.body, "expected");
        self.post_multipart(
            "/people/import",
            &[
                Part::Field("csrf_token", &token),
                Part::Field("csv", &csv),
                Part::Field("expected", &expected),
            ],
            &[],
        )
        .await
    }

    /// A multipart POST of `parts` exactly as given, with extra headers.
    pub async fn post_multipart(
        &self,
        uri: &str,
        parts: &[Part<'_>],
        headers: &[(&str, &str)],
    ) -> Page {
        let (content_type, body) = encode_multipart(parts);
        let mut request = self
            .client
            .post(uri.to_owned())
            .header(content_type)
            .body(body);
        for (name, value) in headers {
            request = request.header(Header::new(name.to_string(), value.to_string()));
        }
        Page::read(request.dispatch().await).await
    }
}
