use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel_async::RunQueryDsl;

use crate::db::DbConn;
use crate::person_name::PersonName;
use crate::schema::person;
use crate::with_connection;

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

/// What creating a person writes: only a parsed name gets here, with its uniqueness key.
#[derive(Debug, Insertable)]
#[diesel(table_name = person)]
pub struct NewPerson<'a> {
    name: &'a str,
    name_key: String,
    creation_key: Option<&'a str>,
}

/// What editing a person writes (the version is bumped by the query).
#[derive(Debug, AsChangeset)]
#[diesel(table_name = person)]
pub struct PersonChanges<'a> {
    name: &'a str,
    name_key: String,
}

impl<'a> NewPerson<'a> {
    /// `creation_key` is the one-time key of the form (or API request) creating the person.
    pub fn new(name: &'a PersonName, creation_key: Option<&'a str>) -> Self {
        Self {
            name: name.as_str(),
            name_key: name.key(),
            creation_key,
        }
    }
}

impl<'a> PersonChanges<'a> {
    pub fn new(name: &'a PersonName) -> Self {
        Self {
            name: name.as_str(),
            name_key: name.key(),
        }
    }
}

/// What an update found.
#[derive(Debug, PartialEq, Eq)]
pub enum Updated {
    Saved(Person),
    /// Someone saved first: this is the person as they left it; nothing was written.
    Stale(Person),
    Missing,
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

    pub async fn find_by_creation_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<Person>> {
        with_connection!(conn, |c| {
            person::table
                .filter(person::creation_key.eq(key))
                .select(Person::as_select())
                .first(c)
                .await
                .optional()
        })
    }

    /// Fails with a unique violation when the name (as `PersonName::key` sees it) or the
    /// creation key is taken: the indexes decide, so simultaneous creates cannot both succeed.
    pub async fn create(conn: &mut DbConn, new: &NewPerson<'_>) -> QueryResult<Person> {
        with_connection!(conn, |c| {
            diesel::insert_into(person::table)
                .values(new)
                .returning(Person::as_returning())
                .get_result(c)
                .await
        })
    }

    /// Saves only if the person is still at `version`, in one statement, so of two edits
    /// opened from the same version exactly one is saved and the other learns it is stale.
    pub async fn update(
        conn: &mut DbConn,
        id: i32,
        version: i32,
        changes: &PersonChanges<'_>,
    ) -> QueryResult<Updated> {
        let saved = with_connection!(conn, |c| {
            diesel::update(person::table.find(id).filter(person::version.eq(version)))
                .set((changes, person::version.eq(person::version + 1)))
                .returning(Person::as_returning())
                .get_result(c)
                .await
                .optional()
        })?;
        Ok(match saved {
            Some(person) => Updated::Saved(person),
            None => match Self::find(conn, id).await? {
                Some(current) => Updated::Stale(current),
                None => Updated::Missing,
            },
        })
    }

    /// The deleted row, so the caller can name it; `None` when no person had this id.
    pub async fn delete(conn: &mut DbConn, id: i32) -> QueryResult<Option<Person>> {
        with_connection!(conn, |c| {
            diesel::delete(person::table.find(id))
                .returning(Person::as_returning())
                .get_result(c)
                .await
                .optional()
        })
    }
}

pub fn is_unique_violation(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}
