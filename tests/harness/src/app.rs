//! The real app (`people::build`) under Rocket's local client, on a database of its own per
//! test, and what a browser does with its forms.

use rocket::figment::Figment;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use tempfile::TempDir;

use crate::form::{encode_form, hidden_value};
use crate::page::Page;
use crate::postgres::TestPostgres;

/// What a test database is; dropping it removes it.
pub enum TestDatabase {
    Sqlite(TempDir),
    Postgres(TestPostgres),
    /// A database the test manages itself (e.g. on a PostgreSQL server it started).
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

/// The app's configuration for a test: what the binary reads (built-in defaults,
/// `Rocket.toml`, `ROCKET_*`), pointed at `url`.
pub fn figment(url: &str) -> Figment {
    people::settings::figment()
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

    /// Launches the app again on the same database, its configuration changed by `change`
    /// (`metrics = true`, a smaller pool, ...).
    pub async fn reconfigure(self, change: impl FnOnce(Figment) -> Figment) -> Self {
        let Self { client, db } = self;
        drop(client);
        let figment = change(figment(&db.url()));
        Self::launch_with(db, figment).await
    }

    pub async fn get(&self, uri: &str) -> Page {
        self.get_with(uri, &[]).await
    }

    /// A GET with extra request headers.
    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.client.get(uri.to_owned());
        for (name, value) in headers {
            request = request.header(Header::new(name.to_string(), value.to_string()));
        }
        Page::read(request.dispatch().await).await
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
    /// A connection is the app's, with the app's per-request deadline (`query_timeout`), so
    /// it is taken afresh for every 50 people: 1,234 creates (each a commit, with the search,
    /// count and history triggers) on one connection outlived 5 s on a loaded CI machine.
    pub async fn insert_people<S: AsRef<str>>(&self, names: &[S]) {
        for chunk in names.chunks(50) {
            let mut conn = self.connection().await;
            for name in chunk {
                let name =
                    people::person_name::PersonName::parse(name.as_ref()).expect("a valid name");
                let new = people::models::NewPerson::new(&name, None);
                people::models::Person::create(&mut conn, &new)
                    .await
                    .expect("insert a person");
            }
        }
    }

    /// Creates `name` straight through the model with a one-time key, as a form or an API
    /// request would at `key`'s time: for tests of keys from the past.
    pub async fn create_keyed(
        &self,
        name: &str,
        key: people::models::OneTimeKey<'_>,
    ) -> people::models::Created {
        let mut conn = self.connection().await;
        let name = people::person_name::PersonName::parse(name).expect("a valid name");
        people::models::Person::create(&mut conn, &people::models::NewPerson::new(&name, Some(key)))
            .await
            .expect("create a person")
    }

    /// Forgets every creation key used at or before `before` (Unix seconds); how many.
    pub async fn forget_keys(&self, before: i64) -> usize {
        let mut conn = self.connection().await;
        people::models::Person::forget_keys(&mut conn, before, "")
            .await
            .expect("forget keys")
    }

    async fn connection(&self) -> people::db::DbConn {
        use rocket_db_pools::{Database, Pool};

        let db = people::db::Db::fetch(self.client.rocket()).expect("the app has a pool");
        db.get().await.expect("a connection")
    }

    /// The names shown on the list page, in order.
    pub async fn listed_names(&self) -> Vec<String> {
        self.get("/people").await.names()
    }
}
