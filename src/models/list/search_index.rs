//! Whether the database has the index that searches anywhere in names use. SQLite always
//! has it (FTS5 is compiled into the bundled SQLite); PostgreSQL has it when `pg_trgm` could
//! be installed by the migration, which a server may not allow.

use diesel::QueryResult;
use diesel::dsl::sql;
use diesel::sql_types::Bool;
use diesel_async::RunQueryDsl;

use crate::db::{Backend, DbConn, with_connection};
use crate::models::Person;

/// What to run on a PostgreSQL server once `pg_trgm` is available, to get the index.
pub const TRIGRAM_INDEX_SQL: &str = "CREATE EXTENSION IF NOT EXISTS pg_trgm; \
     CREATE INDEX person_name_key_trgm ON person USING gin (name_key gin_trgm_ops);";

impl Person {
    /// `false` when searches for text anywhere in names must read every row.
    pub async fn search_is_indexed(conn: &mut DbConn) -> QueryResult<bool> {
        if !matches!(conn.backend_mut(), Backend::Postgres(_)) {
            return Ok(true);
        }
        with_connection!(conn, |c| {
            let indexed = sql::<Bool>(
                "EXISTS (SELECT 1 FROM pg_indexes \
                 WHERE tablename = 'person' AND indexname = 'person_name_key_trgm')",
            );
            diesel::select(indexed).get_result(c).await
        })
    }
}
