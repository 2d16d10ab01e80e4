use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel_async::RunQueryDsl;

use crate::db::{DbConn, with_connection, write_returning, writing};
use crate::person_name::PersonName;
use crate::schema::person;

/// A stored person, as read back from the database.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = person)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct Person {
    pub id: i32,
    pub name: String,
    /// Bumped by every update; forms and API clients send back the one they read.
    pub version: i32,
}

/// What creating a person writes: only a parsed name gets here, with its uniqueness key, and
/// the request's one-time key if it has one.
/// Owned, because on SQLite the insert runs on the writer's thread (`DbConn::on_writer`).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = person)]
pub struct NewPerson {
    name: String,
    name_key: String,
    creation_key: Option<String>,
    creation_request: Option<String>,
    creation_key_at: Option<i64>,
    /// Keys used before this (Unix seconds) are forgotten when this create runs.
    #[diesel(skip_insertion)]
    forget_keys_before: Option<i64>,
}

/// The one-time key of a create: a form's hidden key or an API request's `Idempotency-Key`.
/// The person it creates keeps it, with the name asked for and the time, under a unique
/// index: the same key again finds that person instead of creating another, however many
/// requests send it at once. Keys are forgotten once older than their lifetime.
#[derive(Debug, Clone, Copy)]
pub struct OneTimeKey<'a> {
    value: &'a str,
    /// Unix seconds.
    used_at: i64,
    lifetime_secs: i64,
}

/// How long a creation key is remembered: the `idempotency_key_hours` setting (24 by
/// default). A request sent again later than this is a new request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyLifetime(pub Duration);

impl KeyLifetime {
    pub const DEFAULT_HOURS: u64 = 24;

    pub fn hours(hours: u64) -> Self {
        Self(Duration::from_secs(hours.saturating_mul(3600)))
    }
}

impl Default for KeyLifetime {
    fn default() -> Self {
        Self::hours(Self::DEFAULT_HOURS)
    }
}

impl<'a> OneTimeKey<'a> {
    /// `value` used now, to be remembered for `lifetime`.
    pub fn new(value: &'a str, lifetime: Duration) -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        Self::used_at(value, i64::try_from(now).unwrap_or(i64::MAX), lifetime)
    }

    /// `value` used at `used_at` (Unix seconds): for tests that need a key from the past.
    pub fn used_at(value: &'a str, used_at: i64, lifetime: Duration) -> Self {
        Self {
            value,
            used_at,
            lifetime_secs: i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX),
        }
    }

    /// Keys used at or before this are expired, as seen at the time this one is used.
    fn expired_at_or_before(&self) -> i64 {
        self.used_at.saturating_sub(self.lifetime_secs)
    }
}

/// Every person's version when created (the column's default).
const FIRST_VERSION: i32 = 1;

/// At most this many expired keys are cleared by one create: the cost of a create stays
/// bounded however long nobody created anything.
const FORGET_BATCH: i64 = 100;

/// What editing a person writes (the version is bumped by the query).
/// Owned, as `NewPerson` is.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = person)]
pub struct PersonChanges {
    name: String,
    name_key: String,
}

impl NewPerson {
    pub fn new(name: &PersonName, key: Option<OneTimeKey<'_>>) -> Self {
        Self {
            name: name.as_str().to_owned(),
            name_key: name.key(),
            creation_key: key.map(|key| key.value.to_owned()),
            creation_request: key.map(|_| name.as_str().to_owned()),
            creation_key_at: key.map(|key| key.used_at),
            forget_keys_before: key.map(|key| key.expired_at_or_before()),
        }
    }
}

impl PersonChanges {
    pub fn new(name: &PersonName) -> Self {
        Self {
            name: name.as_str().to_owned(),
            name_key: name.key(),
        }
    }
}

/// What a create did. A taken name is an outcome the user can act on, not a failure, so it
/// is told apart here, from the unique index, instead of by each caller.
#[derive(Debug, PartialEq, Eq)]
pub enum Created {
    New(Person),
    /// The same creation key was used before for the same name (a double click, a retried
    /// request): this is the person as that first request created it (the name it asked
    /// for, the first version), whatever was saved since; nothing was written.
    Again(Person),
    /// The same creation key was used before for another name (this one): that is the person
    /// it created; nothing was written. A key stands for one request.
    KeyReused(Person),
    /// Someone already has this name (as `PersonName::key` sees it); nothing was written.
    Taken,
}

/// What an update did.
#[derive(Debug, PartialEq, Eq)]
pub enum Updated {
    Saved(Person),
    /// Someone saved first: this is the person as they left it; nothing was written.
    Stale(Person),
    /// Someone else has the new name; nothing was written.
    Taken,
    Missing,
}

/// The statements a create runs, as macros: each is built once and run by either backend's
/// connection, async on PostgreSQL and on the writer's thread on SQLite (`Person::create`).
macro_rules! insert_statement {
    ($new:expr) => {
        diesel::insert_into(person::table)
            .values($new)
            .returning(Person::as_returning())
    };
}

/// `EXISTS`: a creation key used at or before `$before` (Unix seconds).
macro_rules! expired_keys_exist {
    ($before:expr) => {
        diesel::select(diesel::dsl::exists(
            person::table
                .filter(person::creation_key.is_not_null())
                .filter(person::creation_key_at.le($before)),
        ))
    };
}

/// See `Person::forget_keys`.
macro_rules! forget_keys_statement {
    ($before:expr, $key:expr) => {{
        let before: i64 = $before;
        // The same table in a subquery: diesel needs it under another name.
        let older = diesel::alias!(person as older);
        let oldest = older
            .filter(older.field(person::creation_key).is_not_null())
            .filter(older.field(person::creation_key_at).le(before))
            .order(older.field(person::creation_key_at))
            .select(older.field(person::id))
            .limit(FORGET_BATCH);
        // `creation_key IS NOT NULL` is implied by the rest, but said: it lets PostgreSQL
        // walk the partial index `person_creation_key_at`. Without it the OR over a
        // subquery made every keyed create scan the whole table (32 ms at 1,000,000
        // people; creates fell to 46 req/s).
        let expired = person::creation_key
            .is_not_null()
            .and(person::creation_key_at.le(before))
            .and(person::creation_key.eq($key).or(person::id.eq_any(oldest)));
        diesel::update(person::table).filter(expired).set((
            person::creation_key.eq(None::<String>),
            person::creation_request.eq(None::<String>),
            person::creation_key_at.eq(None::<i64>),
        ))
    }};
}

impl Person {
    pub async fn find(conn: &mut DbConn, id: i32) -> QueryResult<Option<Person>> {
        with_connection!(conn, |c| {
            person::table
                .find(id)
                .select(Person::as_select())
                .first(c)
                .await
                .optional()
        })
    }

    /// The person a key that is still alive created, with the name that request asked for.
    async fn find_by_creation_key(
        conn: &mut DbConn,
        key: &str,
        expired_at_or_before: i64,
    ) -> QueryResult<Option<(Person, Option<String>)>> {
        with_connection!(conn, |c| {
            person::table
                .filter(person::creation_key.eq(key))
                .filter(person::creation_key_at.gt(expired_at_or_before))
                .select((Person::as_select(), person::creation_request))
                .first(c)
                .await
                .optional()
        })
    }

    /// The unique indexes decide, so of simultaneous creates with one name (or one key)
    /// exactly one is `New`; a repeated key finds the person its first use created. Expired
    /// keys are forgotten first, so a key past its lifetime is free again.
    pub async fn create(conn: &mut DbConn, new: &NewPerson) -> QueryResult<Created> {
        let inserted = if conn.has_writer() {
            // All of it in one trip to the writer's thread (`DbConn::on_writer`): each trip
            // there and back is two thread wake-ups, and wake-ups were the largest part of
            // the kernel's half of a create's CPU (perf, 2026-11-26).
            let new = new.clone();
            let written = conn
                .on_writer(move |c| {
                    if let (Some(key), Some(before)) =
                        (new.creation_key.as_deref(), new.forget_keys_before)
                        && diesel::RunQueryDsl::get_result(expired_keys_exist!(before), c)?
                    {
                        diesel::RunQueryDsl::execute(forget_keys_statement!(before, key), c)?;
                    }
                    diesel::RunQueryDsl::get_result(insert_statement!(new), c)
                })
                .await;
            conn.settled(written)
        } else {
            if let (Some(key), Some(before)) = (new.creation_key.as_deref(), new.forget_keys_before)
                && Self::has_expired_keys(conn, before).await?
            {
                Self::forget_keys(conn, before, key).await?;
            }
            with_connection!(conn, |c| insert_statement!(new).get_result(c).await)
        };
        match inserted {
            Ok(person) => return Ok(Created::New(person)),
            Err(e) if is_unique_violation(&e) => {}
            Err(e) => return Err(e),
        }
        let (Some(key), Some(before)) = (new.creation_key.as_deref(), new.forget_keys_before)
        else {
            return Ok(Created::Taken);
        };
        Ok(match Self::find_by_creation_key(conn, key, before).await? {
            Some((person, asked)) if asked.as_deref() == Some(new.name.as_str()) => {
                Created::Again(Person {
                    name: new.name.clone(),
                    version: FIRST_VERSION,
                    ..person
                })
            }
            Some((person, _)) => Created::KeyReused(person),
            // The name is taken, by someone without this key.
            None => Created::Taken,
        })
    }

    /// Whether any creation key was used at or before `before` (Unix seconds). Most keyed
    /// creates find none, and this read tells them so without the write that `forget_keys`
    /// is even when it changes nothing (on SQLite, a turn on the file's one writer).
    async fn has_expired_keys(conn: &mut DbConn, before: i64) -> QueryResult<bool> {
        with_connection!(conn, |c| expired_keys_exist!(before).get_result(c).await)
    }

    /// Forgets the creation keys used at or before `before` (Unix seconds): `key` if it is
    /// one of them, so that it can be used again, and a bounded batch of the oldest others,
    /// so that they do not pile up. Every keyed create that finds an expired key runs it, so
    /// no scheduled job is needed; several instances doing it at once only clear the same
    /// rows twice. Returns how many keys were forgotten.
    pub async fn forget_keys(conn: &mut DbConn, before: i64, key: &str) -> QueryResult<usize> {
        writing!(conn, |c| forget_keys_statement!(before, key)
            .execute(c)
            .await)
    }

    /// Saves only if the person is still at `version`, in one statement, so of two edits
    /// opened from the same version exactly one is saved and the other learns it is stale.
    pub async fn update(
        conn: &mut DbConn,
        id: i32,
        version: i32,
        changes: &PersonChanges,
    ) -> QueryResult<Updated> {
        let saved = write_returning!(
            conn,
            diesel::update(person::table.find(id).filter(person::version.eq(version)))
                .set((changes.clone(), person::version.eq(person::version + 1)))
                .returning(Person::as_returning())
        )
        .optional();
        let saved = match saved {
            Err(e) if is_unique_violation(&e) => return Ok(Updated::Taken),
            saved => saved?,
        };
        Ok(match saved {
            Some(person) => Updated::Saved(person),
            None => match Self::find(conn, id).await? {
                Some(current) => Updated::Stale(current),
                None => Updated::Missing,
            },
        })
    }

    /// Moves the person to the trash (see `trash`); the row as it was, so the caller can name
    /// it; `None` when no live person had this id.
    pub async fn delete(conn: &mut DbConn, id: i32) -> QueryResult<Option<Person>> {
        Ok(Self::trash(conn, &[id]).await?.pop())
    }
}

pub(super) fn is_unique_violation(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}
