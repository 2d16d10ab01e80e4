//! One pooled connection to whichever backend is configured, and the macro that runs a query
//! on it: queries are written once and compiled for both backends.

use diesel::QueryResult;
use diesel::connection::Instrumentation;
use diesel_async::RunQueryDsl;
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::pool::SqliteConn;

#[expect(
    clippy::large_enum_variant,
    reason = "made once per request and never moved after; boxing would add an allocation"
)]
pub enum DbConn {
    Postgres(Object<AsyncPgConnection>),
    Sqlite(Object<SqliteConn>),
}

/// Runs one query body against whichever backend `$conn` (a `&mut DbConn`) holds, binding
/// `$c` to the concrete connection. The body is compiled once per backend, so every query
/// exists for both or fails to build. A failure is counted against the request being served
/// (here, because diesel's instrumentation does not see every SQLite error).
macro_rules! with_connection {
    ($conn:expr, |$c:ident| $body:expr) => {{
        let result: ::diesel::QueryResult<_> = match $conn {
            $crate::db::DbConn::Postgres($c) => {
                let $c: &mut ::diesel_async::AsyncPgConnection = &mut *$c;
                $body
            }
            $crate::db::DbConn::Sqlite($c) => {
                let $c: &mut $crate::db::SqliteConn = &mut *$c;
                $body
            }
        };
        $crate::db::count_failure(&result);
        result
    }};
}

pub(crate) use with_connection;

impl DbConn {
    /// Replaces whatever observed this connection for its previous user.
    pub(super) fn observe(&mut self, observer: impl Instrumentation) {
        match self {
            Self::Postgres(c) => c.set_instrumentation(observer),
            Self::Sqlite(c) => c.set_instrumentation(observer),
        }
    }

    /// The cheapest query that proves the database answers.
    pub async fn ping(&mut self) -> QueryResult<()> {
        with_connection!(self, |c| diesel::sql_query("SELECT 1")
            .execute(c)
            .await
            .map(drop))
    }
}
