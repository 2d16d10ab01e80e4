//! The JSON API under `/api`: the same people, paging, search, sort and validation as the
//! pages. Bodies must be `application/json`: a form cannot send that content type across
//! sites without a CORS preflight, which is what keeps these routes safe without a CSRF
//! token, so the routes that take a body match on it and everything else gets a 415. DELETE
//! has no body, and refuses a form's (see `destroy`).

use rocket::http::{ContentType, Header};
use rocket::response::status::{self, NoContent};
use rocket::serde::json::Json;
use rocket::{Responder, Route, delete, get, post, put, routes};
use rocket_db_pools::Connection;

use super::error::{ApiError, FieldErrors};
use super::if_match::IfMatch;
use super::json::{PeopleJson, PersonInput, PersonJson};
use crate::db::Db;
use crate::models::list::{ListParams, href};
use crate::models::{Created, NewPerson, Person, PersonChanges, Updated};
use crate::person_name::PersonName;

/// Mounted at `/api`; these are the paths below it.
pub(super) fn routes() -> Vec<Route> {
    routes![
        list,
        create,
        read,
        update,
        destroy,
        create_not_json,
        update_not_json,
    ]
}

const BASE: &str = "/api/people";

/// The body, read before a connection is taken (see `Db::connect`); refusals are answered as
/// JSON by the handler.
type Body = Result<PersonInput, ApiError>;

#[get("/people?<params..>")]
async fn list(db: &Db, params: ListParams) -> Result<Json<PeopleJson>, ApiError> {
    let query = params
        .parse()
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let mut db = db.connect_reading_all(query.search.is_some()).await?;
    let page = Person::page(&mut db, &query).await?;
    Ok(Json(PeopleJson {
        people: page.people.into_iter().map(PersonJson::from).collect(),
        next: page.next.map(|at| href(BASE, &query.at(at))),
        prev: page.prev.map(|at| href(BASE, &query.at(at))),
    }))
}

/// A person with its `ETag` (its version), for conditional updates.
#[derive(Responder)]
struct Tagged<R> {
    inner: R,
    etag: Header<'static>,
}

impl Tagged<Json<PersonJson>> {
    fn person(person: Person) -> Self {
        let json = PersonJson::from(person);
        Self {
            etag: Header::new("ETag", json.etag()),
            inner: Json(json),
        }
    }
}

#[post("/people", format = "json", data = "<body>")]
async fn create(
    db: &Db,
    body: Body,
) -> Result<Tagged<status::Created<Json<PersonJson>>>, ApiError> {
    let name = body?.name().map_err(ApiError::Invalid)?;
    let mut db = db.connect().await?;
    match Person::create(&mut db, &NewPerson::new(&name, None)).await? {
        // Without a creation key there is no earlier request to have created anyone.
        Created::New(person) | Created::Again(person) | Created::KeySpent(person) => {
            let location = format!("{BASE}/{}", person.id);
            let Tagged { inner, etag } = Tagged::person(person);
            Ok(Tagged {
                inner: status::Created::new(location).body(inner),
                etag,
            })
        }
        Created::Taken => Err(taken(&name)),
    }
}

#[get("/people/<id>")]
async fn read(mut db: Connection<Db>, id: i32) -> Result<Tagged<Json<PersonJson>>, ApiError> {
    let person = Person::find(&mut db, id).await?.ok_or(ApiError::NotFound)?;
    Ok(Tagged::person(person))
}

/// Saves only over the version the client read (a `version` field or `If-Match`): an update
/// made in between is answered with 409 and the person as it is now, never overwritten.
#[put("/people/<id>", format = "json", data = "<body>")]
async fn update(
    db: &Db,
    id: i32,
    if_match: IfMatch,
    body: Body,
) -> Result<Tagged<Json<PersonJson>>, ApiError> {
    let input = body?;
    let mut db = db.connect().await?;
    let (name, version) = match (input.name(), input.version()) {
        (Ok(name), Ok(version)) => (name, version),
        // As with the form: for a missing person, that is what the client needs to know.
        (Err(errors), _) | (_, Err(errors)) => {
            Person::find(&mut db, id).await?.ok_or(ApiError::NotFound)?;
            return Err(ApiError::Invalid(errors));
        }
    };
    let version = match (version, if_match) {
        (_, IfMatch::Unusable(message)) => return Err(ApiError::BadRequest(message)),
        (Some(field), IfMatch::Version(header)) if field != header => {
            return Err(ApiError::BadRequest(format!(
                "The version field ({field}) and If-Match ({header}) disagree; send one."
            )));
        }
        (Some(version), _) | (None, IfMatch::Version(version)) => version,
        (None, IfMatch::Absent) => {
            Person::find(&mut db, id).await?.ok_or(ApiError::NotFound)?;
            return Err(ApiError::VersionRequired);
        }
    };
    match Person::update(&mut db, id, version, &PersonChanges::new(&name)).await? {
        Updated::Saved(person) => Ok(Tagged::person(person)),
        Updated::Stale(current) => Err(ApiError::Conflict(current.into())),
        Updated::Taken => Err(taken(&name)),
        Updated::Missing => Err(ApiError::NotFound),
    }
}

/// Rocket turns a form POST carrying `_method=delete` into this DELETE, and any site can make
/// a browser send a form POST: refusing form bodies keeps deleting behind the same JSON-only
/// rule as creating and updating.
#[delete("/people/<id>")]
async fn destroy(
    mut db: Connection<Db>,
    id: i32,
    content_type: Option<&ContentType>,
) -> Result<NoContent, ApiError> {
    if content_type.is_some_and(|ct| ct.is_form()) {
        return Err(ApiError::NotJson);
    }
    Person::delete(&mut db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(NoContent)
}

fn taken(name: &PersonName) -> ApiError {
    ApiError::Invalid(FieldErrors::one("name", name.taken_message()))
}

// The routes above that take a body match only `Content-Type: application/json`. Any other
// body, or none, reaches these instead.

#[post("/people", rank = 2)]
fn create_not_json() -> ApiError {
    ApiError::NotJson
}

/// Only for well-formed ids: a malformed one is a 404 (`routes::malformed_ids`) whatever
/// the body.
#[put("/people/<_id>", rank = 2)]
fn update_not_json(_id: i32) -> ApiError {
    ApiError::NotJson
}
