use diesel::QueryResult;
use diesel_async::RunQueryDsl;

use super::DbConn;
use crate::with_connection;

/// The cheapest query that proves the database answers.
pub async fn ping(conn: &mut DbConn) -> QueryResult<()> {
    with_connection!(conn, |c| diesel::sql_query("SELECT 1")
        .execute(c)
        .await
        .map(drop))
}
