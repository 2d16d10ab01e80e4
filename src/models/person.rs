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
}

/// What creating a person writes: only a parsed name gets here.
#[derive(Debug, Insertable)]
#[diesel(table_name = person)]
pub struct NewPerson<'a> {
    pub name: &'a str,
}

/// What editing a person writes.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = person)]
pub struct PersonChanges<'a> {
    pub name: &'a str,
}

impl<'a> NewPerson<'a> {
    pub fn new(name: &'a PersonName) -> Self {
        Self {
            name: name.as_str(),
        }
    }
}

impl<'a> PersonChanges<'a> {
    pub fn new(name: &'a PersonName) -> Self {
        Self {
            name: name.as_str(),
        }
    }
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

    /// Fails with a unique violation when the name is taken: the index decides, so two
    /// simultaneous creates of one name cannot both succeed.
    pub async fn create(conn: &mut DbConn, new: &NewPerson<'_>) -> QueryResult<Person> {
        with_connection!(conn, |c| {
            diesel::insert_into(person::table)
                .values(new)
                .returning(Person::as_returning())
                .get_result(c)
                .await
        })
    }

    /// `None` when no person has this id.
    pub async fn update(
        conn: &mut DbConn,
        id: i32,
        changes: &PersonChanges<'_>,
    ) -> QueryResult<Option<Person>> {
        with_connection!(conn, |c| {
            diesel::update(person::table.find(id))
                .set(changes)
                .returning(Person::as_returning())
                .get_result(c)
                .await
                .optional()
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
