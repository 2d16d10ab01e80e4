use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel_async::RunQueryDsl;

use crate::db::{DbConn, with_connection};
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

/// What a create did. A taken name is an outcome the user can act on, not a failure, so it
/// is told apart here, from the unique index, instead of by each caller.
#[derive(Debug, PartialEq, Eq)]
pub enum Created {
    New(Person),
    /// The same creation key was used before (a double click, a retried request): this is the
    /// person that first request created; nothing was written.
    Again(Person),
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

    async fn find_by_creation_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<Person>> {
        with_connection!(conn, |c| {
            person::table
                .filter(person::creation_key.eq(key))
                .select(Person::as_select())
                .first(c)
                .await
                .optional()
        })
    }

    /// The unique indexes decide, so of simultaneous creates with one name exactly one is
    /// `New`; a repeated creation key finds the person its first use created.
    pub async fn create(conn: &mut DbConn, new: &NewPerson<'_>) -> QueryResult<Created> {
        let inserted = with_connection!(conn, |c| {
            diesel::insert_into(person::table)
                .values(new)
                .returning(Person::as_returning())
                .get_result(c)
                .await
        });
        match inserted {
            Ok(person) => Ok(Created::New(person)),
            Err(e) if is_unique_violation(&e) => match new.creation_key {
                Some(key) => Ok(match Self::find_by_creation_key(conn, key).await? {
                    Some(person) => Created::Again(person),
                    None => Created::Taken,
                }),
                None => Ok(Created::Taken),
            },
            Err(e) => Err(e),
        }
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
        });
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

pub(super) fn is_unique_violation(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}
