//! Write load through the real form, for the crash tests: several writers creating people
//! until told to stop, keeping the names the server answered with a redirect (those it
//! promised to have saved), and the check that each of those is stored.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use people_test_harness::{encode_form, request};

#[derive(QueryableByName)]
pub struct NameRow {
    #[diesel(sql_type = Text)]
    pub name: String,
}

/// Every name in `answered` is in `stored`.
pub fn assert_stored(stored: &[String], answered: &[String]) {
    for name in answered {
        assert!(
            stored.contains(name),
            "{name} was answered with a redirect but is gone"
        );
    }
}

/// `assert_stored` against the people in the PostgreSQL database at `url`.
pub async fn assert_stored_in_postgres(url: &str, answered: &[String]) {
    let mut conn = AsyncPgConnection::establish(url)
        .await
        .expect("connect to the test database");
    let query = diesel::sql_query("SELECT name FROM person");
    let stored: Vec<String> = diesel_async::RunQueryDsl::load::<NameRow>(query, &mut conn)
        .await
        .expect("read the people")
        .into_iter()
        .map(|row| row.name)
        .collect();
    assert_stored(&stored, answered);
}

/// Writers on `port`; `origin`, when given, is sent as a browser sends it (`Origin` and
/// `Sec-Fetch-Site: same-origin`). A writer stops when the server is gone; a `502` (a proxy
/// whose instance died mid-request) is an answer that promised nothing, and it goes on.
pub fn write_load(
    port: u16,
    stop: &Arc<AtomicBool>,
    origin: Option<&str>,
) -> (Vec<JoinHandle<()>>, Arc<Mutex<Vec<String>>>) {
    let answered = Arc::new(Mutex::new(Vec::new()));
    let writers = (0..4)
        .map(|writer| {
            let (stop, answered) = (Arc::clone(stop), Arc::clone(&answered));
            let origin = origin.map(str::to_owned);
            std::thread::spawn(move || {
                let Ok(form) = request(port, "GET", "/people/new", &[], None) else {
                    return;
                };
                let (cookie, token) = (form.cookies(), form.hidden("csrf_token"));
                let mut headers = vec![
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    ("Cookie", cookie.as_str()),
                ];
                if let Some(origin) = &origin {
                    headers.extend([
                        ("Origin", origin.as_str()),
                        ("Sec-Fetch-Site", "same-origin"),
                    ]);
                }
                for n in 0u64.. {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let name = format!("Writer {writer} number {n}");
                    let key = format!("{:016x}{:016x}", writer, n);
                    let body = encode_form(&[
                        ("csrf_token", &token),
                        ("creation_key", &key),
                        ("name", &name),
                    ]);
                    match request(port, "POST", "/people", &headers, Some(&body)) {
                        Ok(response) if response.status == 303 => {
                            if let Ok(mut names) = answered.lock() {
                                names.push(name);
                            }
                        }
                        Ok(response) if response.status == 502 => {}
                        Ok(response) => {
                            panic!("create answered {}: {}", response.status, response.body)
                        }
                        Err(_) => return, // the server is gone
                    }
                }
            })
        })
        .collect();
    (writers, answered)
}
