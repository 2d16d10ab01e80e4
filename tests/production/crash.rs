//! Crashes and shutdowns of the real binary: SIGKILL under write load loses nothing that was
//! answered, and SIGTERM lets a request in flight finish.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};

use people_test_harness::{AppProcess, TestPostgres, encode_form};

use crate::PEOPLE;
use crate::load::{NameRow, assert_stored, assert_stored_in_postgres, write_load};

fn kill_under_load_and_restart(url: &str) -> Vec<String> {
    let mut app = AppProcess::spawn(PEOPLE, url);
    app.wait_until_healthy();
    let stop = Arc::new(AtomicBool::new(false));
    let (writers, answered) = write_load(app.port, &stop, None);
    std::thread::sleep(Duration::from_millis(1500));
    app.signal("KILL");
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().expect("a writer thread");
    }
    let (status, _) = app.wait_for_exit();
    assert!(!status.success(), "killed, not exited: {status}");

    let mut restarted = AppProcess::spawn(PEOPLE, url);
    restarted.wait_until_healthy();
    let answered = answered
        .lock()
        .map(|names| names.clone())
        .unwrap_or_default();
    assert!(
        answered.len() > 10,
        "the load wrote something: {}",
        answered.len()
    );
    answered
}

#[test]
fn sigkill_under_write_load_loses_no_answered_create_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("people.db");
    let answered = kill_under_load_and_restart(&format!("sqlite://{}", path.display()));

    let mut conn = SqliteConnection::establish(&path.display().to_string()).expect("open the file");
    conn.batch_execute("PRAGMA busy_timeout = 5000")
        .expect("set a busy timeout");
    let stored: Vec<String> = diesel::sql_query("SELECT name FROM person")
        .load::<NameRow>(&mut conn)
        .expect("read the people")
        .into_iter()
        .map(|row| row.name)
        .collect();
    assert_stored(&stored, &answered);
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let check = diesel::sql_query("PRAGMA integrity_check")
        .load::<Check>(&mut conn)
        .expect("check");
    assert_eq!(
        check
            .iter()
            .map(|c| c.integrity_check.as_str())
            .collect::<Vec<_>>(),
        ["ok"]
    );
}

#[rocket::async_test]
async fn sigkill_under_write_load_loses_no_answered_create_on_postgres() {
    let test = "production::crash::sigkill_under_write_load_loses_no_answered_create_on_postgres";
    let Some(db) = TestPostgres::create(test).await else {
        return;
    };
    let url = db.url.clone();
    let answered = rocket::tokio::task::spawn_blocking(move || kill_under_load_and_restart(&url))
        .await
        .expect("the load ran");
    assert_stored_in_postgres(&db.url, &answered).await;
}

#[test]
fn sigterm_lets_a_request_in_flight_finish_then_exits_cleanly() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("people.db").display());
    let mut app = AppProcess::spawn(PEOPLE, &url);
    app.wait_until_healthy();
    let form = app.get("/people/new").expect("the form");
    let body = encode_form(&[
        ("csrf_token", &form.hidden("csrf_token")),
        ("name", "Finished Anyway"),
    ]);

    // Headers and half the body, then SIGTERM, then the rest: the request is in flight.
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).expect("connect");
    let head = format!(
        "POST /people HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nCookie: {}\r\nContent-Length: {}\r\n\r\n",
        form.cookies(),
        body.len()
    );
    let (first, rest) = body.split_at(body.len() / 2);
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(first.as_bytes()))
        .expect("send");
    std::thread::sleep(Duration::from_millis(300));
    app.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    stream
        .write_all(rest.as_bytes())
        .expect("the connection is still open");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a read timeout");
    let mut status_line = String::new();
    BufReader::new(&stream)
        .read_line(&mut status_line)
        .expect("a response");
    assert!(status_line.starts_with("HTTP/1.1 303"), "{status_line:?}");

    let (status, log) = app.wait_for_exit();
    assert!(status.success(), "SIGTERM is a clean exit: {status}\n{log}");
    let mut restarted = AppProcess::spawn(PEOPLE, &url);
    restarted.wait_until_healthy();
    let list = restarted.get("/people").expect("the list");
    assert!(list.body.contains("Finished Anyway"), "{}", list.body);
}
