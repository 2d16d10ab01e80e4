//! A person with what the person page shows beyond the name: when they were added and last
//! changed. Kept apart from `Person`, which every list row loads, so the list reads no more
//! than it shows.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

use super::Person;
use crate::db::{DbConn, with_connection};
use crate::schema::person;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = person)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct PersonDetails {
    #[diesel(embed)]
    pub person: Person,
    /// UTC; `None` for people added before the app kept dates.
    pub created_at: Option<PrimitiveDateTime>,
    /// UTC: the last change of name (or the adding).
    pub updated_at: Option<PrimitiveDateTime>,
}

impl Person {
    pub async fn find_details(conn: &mut DbConn, id: i32) -> QueryResult<Option<PersonDetails>> {
        with_connection!(conn, |c| {
            person::table
                .find(id)
                .select(PersonDetails::as_select())
                .first(c)
                .await
                .optional()
        })
    }
}
