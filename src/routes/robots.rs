//! `/robots.txt`: crawlers may read the list and the people; not the forms, the export or the
//! API, which are for people and programs acting on purpose.

use rocket::http::ContentType;
use rocket::{Route, get, routes};

pub fn routes() -> Vec<Route> {
    routes![robots]
}

const ROBOTS_TXT: &str = "\
User-agent: *
Disallow: /api/
Disallow: /people.csv
Disallow: /people/new
Disallow: /people/import
Disallow: /people/*/edit
Disallow: /people/*/delete
";

#[get("/robots.txt")]
fn robots() -> (ContentType, &'static str) {
    (ContentType::Plain, ROBOTS_TXT)
}
