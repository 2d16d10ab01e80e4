//! The JSON API through the local client: requests, the PUT a client saving an edit sends,
//! and responses read whole.

use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::asynchronous::LocalResponse;
use serde_json::{Value, json};

use crate::app::TestApp;

impl TestApp {
    /// A request to the JSON API. `body` is sent as is, with `content_type` if given.
    pub async fn api(
        &self,
        method: Method,
        uri: &str,
        content_type: Option<ContentType>,
        body: Option<&str>,
    ) -> ApiResponse {
        let mut request = self.client.req(method, uri.to_owned());
        if let Some(content_type) = content_type {
            request = request.header(content_type);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        ApiResponse::read(request.dispatch().await).await
    }

    pub async fn api_get(&self, uri: &str) -> ApiResponse {
        self.api(Method::Get, uri, None, None).await
    }

    /// A JSON body sent as `application/json`.
    pub async fn api_send(&self, method: Method, uri: &str, body: &Value) -> ApiResponse {
        self.api_send_with(method, uri, body, &[]).await
    }

    /// `api_send` with extra headers (`If-Match`, ...).
    pub async fn api_send_with(
        &self,
        method: Method,
        uri: &str,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> ApiResponse {
        let mut request = self
            .client
            .req(method, uri.to_owned())
            .header(ContentType::JSON)
            .body(body.to_string());
        for (name, value) in headers {
            request = request.header(Header::new(name.to_string(), value.to_string()));
        }
        ApiResponse::read(request.dispatch().await).await
    }

    /// A POST of `body` to the people collection, as a client adding a person sends it.
    pub async fn api_post(&self, body: &Value) -> ApiResponse {
        self.api_send(Method::Post, "/api/people", body).await
    }

    /// A POST of `body`, sent as is (not necessarily JSON), labelled `application/json`.
    pub async fn api_post_raw(&self, body: &str) -> ApiResponse {
        self.api(
            Method::Post,
            "/api/people",
            Some(ContentType::JSON),
            Some(body),
        )
        .await
    }

    /// A POST of `body` to the people collection with an `Idempotency-Key`, as a client that
    /// may retry sends it.
    pub async fn api_post_with_key(&self, body: &Value, key: &str) -> ApiResponse {
        self.api_send_with(
            Method::Post,
            "/api/people",
            body,
            &[("Idempotency-Key", key)],
        )
        .await
    }

    /// A PUT of `body` to person `id`'s API address.
    pub async fn api_put(&self, id: i32, body: &Value) -> ApiResponse {
        self.api_send(Method::Put, &api_person(id), body).await
    }

    /// Saves `name` as a client that read the person at `version` does: both in the body.
    pub async fn api_save(&self, id: i32, name: &str, version: i64) -> ApiResponse {
        self.api_put(id, &json!({"name": name, "version": version}))
            .await
    }

    /// `api_put` with the version in an `If-Match` header instead.
    pub async fn api_put_if_match(&self, id: i32, body: &Value, if_match: &str) -> ApiResponse {
        self.api_send_with(
            Method::Put,
            &api_person(id),
            body,
            &[("If-Match", if_match)],
        )
        .await
    }
}

/// A person's address in the API.
fn api_person(id: i32) -> String {
    format!("/api/people/{id}")
}

/// An API response read whole; the body parsed as JSON (`Value::Null` when empty).
#[derive(Debug)]
pub struct ApiResponse {
    pub status: Status,
    pub content_type: Option<ContentType>,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub allow: Option<String>,
    pub text: String,
    pub json: Value,
}

impl ApiResponse {
    pub(crate) async fn read(response: LocalResponse<'_>) -> Self {
        let status = response.status();
        let content_type = response.content_type();
        let location = response.headers().get_one("Location").map(str::to_owned);
        let etag = response.headers().get_one("ETag").map(str::to_owned);
        let allow = response.headers().get_one("Allow").map(str::to_owned);
        let text = response.into_string().await.unwrap_or_default();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {text}"))
        };
        Self {
            status,
            content_type,
            location,
            etag,
            allow,
            text,
            json,
        }
    }

    /// Asserts the status, that the body is JSON, and returns the body.
    pub fn assert_json(&self, status: Status) -> &Value {
        assert_eq!(self.status, status, "body: {}", self.text);
        assert_eq!(self.content_type, Some(ContentType::JSON), "{}", self.text);
        &self.json
    }

    /// The names in a list response, in order.
    pub fn names(&self) -> Vec<String> {
        let people = self.assert_json(Status::Ok)["people"]
            .as_array()
            .unwrap_or_else(|| panic!("a list: {}", self.text));
        people
            .iter()
            .map(|person| person["name"].as_str().expect("a name").to_owned())
            .collect()
    }
}
