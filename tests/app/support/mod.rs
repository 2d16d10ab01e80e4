//! The test harness: the real app (`people::build`) on a database of its own per test.

mod form;
pub mod postgres;

use rocket::figment::Figment;
use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use serde_json::Value;
use tempfile::TempDir;

pub use form::{encode_form, percent_encode};
pub use postgres::TestPostgres;

/// Generates, for each named `async fn(TestApp)` in the calling module, one test per backend:
/// `sqlite::NAME` and `postgres::NAME`. The PostgreSQL ones run when
/// `PEOPLE_TEST_POSTGRES_URL` names a server, and say that they were skipped otherwise.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[rocket::async_test]
                async fn $name() {
                    super::$name($crate::support::TestApp::sqlite().await).await
                }
            )+
        }
        mod postgres {
            $(
                #[rocket::async_test]
                async fn $name() {
                    let test = concat!(module_path!(), "::", stringify!($name));
                    if let Some(app) = $crate::support::TestApp::postgres(test).await {
                        super::$name(app).await
                    }
                }
            )+
        }
    };
}

/// What a test database is; dropping it removes it.
pub enum TestDatabase {
    Sqlite(TempDir),
    Postgres(TestPostgres),
    /// A database the test manages itself (e.g. on a PostgreSQL server it started).
    #[allow(
        dead_code,
        reason = "used by the production test binary, which shares this file"
    )]
    Url(String),
}

impl TestDatabase {
    pub fn sqlite() -> Self {
        Self::Sqlite(tempfile::tempdir().expect("create a temporary directory"))
    }

    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(dir) => format!("sqlite://{}", dir.path().join("people.db").display()),
            Self::Postgres(db) => db.url.clone(),
            Self::Url(url) => url.clone(),
        }
    }
}

pub struct TestApp {
    // Declared first so it drops first: the pool closes before its database is removed.
    pub client: Client,
    pub db: TestDatabase,
}

/// The app's configuration for a test: `Rocket.toml` as a user has it, pointed at `url`.
pub fn figment(url: &str) -> Figment {
    rocket::Config::figment()
        .merge(("databases.people.url", url))
        .merge(("databases.people.max_connections", 4))
        .merge(("log_level", "critical"))
}

impl TestApp {
    pub async fn sqlite() -> Self {
        Self::launch(TestDatabase::sqlite()).await
    }

    pub async fn postgres(test: &str) -> Option<Self> {
        let db = TestPostgres::create(test).await?;
        Some(Self::launch(TestDatabase::Postgres(db)).await)
    }

    pub async fn launch(db: TestDatabase) -> Self {
        let figment = figment(&db.url());
        Self::launch_with(db, figment).await
    }

    pub async fn launch_with(db: TestDatabase, figment: Figment) -> Self {
        let client = Client::tracked(people::build(figment))
            .await
            .expect("the app launches on a fresh database");
        Self { client, db }
    }

    /// Launches the app again on the same database, as a restart does.
    pub async fn restart(self) -> Self {
        let Self { client, db } = self;
        drop(client);
        Self::launch(db).await
    }

    pub async fn get(&self, uri: &str) -> Page {
        Page::read(self.client.get(uri.to_owned()).dispatch().await).await
    }

    /// A form POST, as a browser sends it from one of our pages: with this session's CSRF
    /// token after `fields` (so `_method`, if any, stays first). URL-encoded here.
    pub async fn post_form(&self, uri: &str, fields: &[(&str, &str)]) -> Page {
        self.post_form_with(uri, fields, &[]).await
    }

    /// `post_form` with extra request headers (`Origin`, `Sec-Fetch-Site`, ...).
    pub async fn post_form_with(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let token = self.csrf_token().await;
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &token));
        self.post_raw(uri, &encode_form(&fields), headers).await
    }

    /// The one-time key of a freshly opened create form.
    pub async fn creation_key(&self) -> String {
        hidden_value(&self.get("/people/new").await.body, "creation_key")
    }

    /// How many people there are, read from the list page.
    pub async fn count(&self) -> usize {
        self.listed_names().await.len()
    }

    /// A POST exactly as given: no token added, extra headers as listed.
    pub async fn post_raw(&self, uri: &str, body: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self
            .client
            .post(uri.to_owned())
            .header(ContentType::Form)
            .body(body);
        for (name, value) in headers {
            request = request.header(Header::new(name.to_string(), value.to_string()));
        }
        Page::read(request.dispatch().await).await
    }

    /// Saves `name` through the edit form, as a browser does: open the form, send it back
    /// with its hidden version.
    pub async fn put_person(&self, id: i32, name: &str) -> Page {
        let version = self.edit_form_version(id).await;
        self.put_person_at(id, &version, name).await
    }

    /// Saves `name` as a form opened at `version` would.
    pub async fn put_person_at(&self, id: i32, version: &str, name: &str) -> Page {
        let fields = [("_method", "put"), ("version", version), ("name", name)];
        self.post_form(&format!("/people/{id}"), &fields).await
    }

    /// The version an edit form opened now would carry.
    pub async fn edit_form_version(&self, id: i32) -> String {
        hidden_value(
            &self.get(&format!("/people/{id}/edit")).await.body,
            "version",
        )
    }

    /// This session's CSRF token, as a form page carries it.
    pub async fn csrf_token(&self) -> String {
        let page = self.get("/people/new").await;
        hidden_value(&page.body, "csrf_token")
    }

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

    /// Creates a person through the form and returns the new id.
    pub async fn create_person(&self, name: &str) -> i32 {
        let page = self.post_form("/people", &[("name", name)]).await;
        assert_eq!(
            page.status,
            Status::SeeOther,
            "creating {name:?}: {}",
            page.body
        );
        let location = page.location.expect("a redirect to the new person");
        location
            .strip_prefix("/people/")
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("redirect to a person, got {location}"))
    }

    /// Adds people straight through the pool, in order (so ids ascend in `names` order): for
    /// tests that need many rows and are not about creating them.
    pub async fn insert_people<S: AsRef<str>>(&self, names: &[S]) {
        use rocket_db_pools::{Database, Pool};

        let db = people::db::Db::fetch(self.client.rocket()).expect("the app has a pool");
        let mut conn = db.get().await.expect("a connection");
        for name in names {
            let name = people::person_name::PersonName::parse(name.as_ref()).expect("a valid name");
            people::models::Person::create(&mut conn, &people::models::NewPerson::new(&name, None))
                .await
                .expect("insert a person");
        }
    }

    /// The names shown on the list page, in order.
    pub async fn listed_names(&self) -> Vec<String> {
        self.get("/people").await.names()
    }
}

/// The value of the hidden input `name` in a page.
pub fn hidden_value(body: &str, name: &str) -> String {
    let marker = format!(r#"type="hidden" name="{name}" value=""#);
    body.split_once(&marker)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(value, _)| value.to_owned())
        .unwrap_or_else(|| panic!("no hidden {name} in:\n{body}"))
}

/// A response read whole, so tests can assert on it after the client moves on.
#[derive(Debug)]
pub struct Page {
    pub status: Status,
    pub content_type: Option<ContentType>,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    async fn read(response: LocalResponse<'_>) -> Self {
        Self {
            status: response.status(),
            content_type: response.content_type(),
            location: response.headers().get_one("Location").map(str::to_owned),
            body: response.into_string().await.unwrap_or_default(),
        }
    }

    /// The names listed on this page, in order, as shown (HTML-escaped).
    pub fn names(&self) -> Vec<String> {
        assert_eq!(self.status, Status::Ok, "{}", self.body);
        self.body
            .split("class=\"person-name\"")
            .skip(1)
            .filter_map(|rest| Some(rest.split_once('>')?.1.split_once("</a>")?.0.to_owned()))
            .collect()
    }

    /// The target of the link with this `rel` ("next", "prev"), unescaped, if there is one.
    pub fn link(&self, rel: &str) -> Option<String> {
        let anchor = format!("rel=\"{rel}\"");
        let tag_end = self.body.find(&anchor)?;
        let tag_start = self.body[..tag_end].rfind("<a ")?;
        let tag = &self.body[tag_start..tag_end];
        let href = tag.split_once("href=\"")?.1.split_once('"')?.0;
        Some(unescape_html(href))
    }

    pub fn assert_html(&self, status: Status) -> &Self {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(self.content_type, Some(ContentType::HTML));
        assert!(
            self.body.starts_with("<!doctype html>"),
            "a full page: {}",
            self.body
        );
        assert!(
            self.body
                .contains(r#"<link rel="stylesheet" href="/static/style.css">"#)
        );
        self
    }

    pub fn assert_redirect(&self, to: &str) -> &Self {
        assert_eq!(self.status, Status::SeeOther, "body: {}", self.body);
        assert_eq!(self.location.as_deref(), Some(to));
        self
    }

    pub fn assert_contains(&self, text: &str) -> &Self {
        assert!(
            self.body.contains(text),
            "expected {text:?} in:\n{}",
            self.body
        );
        self
    }

    pub fn assert_lacks(&self, text: &str) -> &Self {
        assert!(
            !self.body.contains(text),
            "did not expect {text:?} in:\n{}",
            self.body
        );
        self
    }
}

/// An API response read whole; the body parsed as JSON (`Value::Null` when empty).
#[derive(Debug)]
pub struct ApiResponse {
    pub status: Status,
    pub content_type: Option<ContentType>,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub text: String,
    pub json: Value,
}

impl ApiResponse {
    async fn read(response: LocalResponse<'_>) -> Self {
        let status = response.status();
        let content_type = response.content_type();
        let location = response.headers().get_one("Location").map(str::to_owned);
        let etag = response.headers().get_one("ETag").map(str::to_owned);
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

/// Undoes Askama's escaping of an attribute value.
pub fn unescape_html(text: &str) -> String {
    text.replace("&#38;", "&")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
}
