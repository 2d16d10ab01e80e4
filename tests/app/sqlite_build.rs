//! The bundled SQLite is compiled with the options `.cargo/config.toml` gives it
//! (`LIBSQLITE3_FLAGS`): without them every `LIMIT ?` query is parsed and planned again on
//! each execution, and every row read takes a global mutex. A build that lost the setting
//! (another config, a `LIBSQLITE3_FLAGS` of one's own) fails here rather than in the bench.

use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection, sql_query};

#[derive(QueryableByName)]
struct CompileOption {
    #[diesel(sql_type = Text)]
    compile_options: String,
}

#[test]
fn sqlite_plans_statements_once_and_keeps_no_global_memory_statistics() {
    let mut conn = SqliteConnection::establish(":memory:").expect("an in-memory database");
    let options: Vec<String> = sql_query("PRAGMA compile_options")
        .load::<CompileOption>(&mut conn)
        .expect("the compile options")
        .into_iter()
        .map(|o| o.compile_options)
        .collect();
    for wanted in ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0"] {
        assert!(
            options.iter().any(|o| o == wanted),
            "{wanted} in {options:?}"
        );
    }
}
