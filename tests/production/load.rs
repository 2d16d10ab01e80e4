//! Write load through the real form, for the crash tests: several writers creating people
//! until told to stop, keeping the names the server answered with a redirect (those it
//! promised to have saved).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use people_test_harness::{encode_form, request};

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
