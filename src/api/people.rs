//! The JSON API under `/api`: the same people, paging, search, sort and validation as the
//! pages. Bodies must be `application/json`: a form cannot send that content type across
//! sites without a CORS preflight, which is what keeps these routes safe without a CSRF
//! token, so the routes that take a body match on it and everything else gets a 415. DELETE
//! has no body, and refuses a form's (see `destroy`).
//!
//! Each handler's `#[utoipa::path]` is its entry in the OpenAPI document (`openapi.rs`):
//! the path, method and parameters come from Rocket's attribute below it, the rest from here.

use rocket::State;
use rocket::http::{ContentType, Header};
use rocket::response::status::{self, NoContent};
use rocket::serde::json::Json;
use rocket::{Responder, Route, delete, get, post, put, routes};
use rocket_db_pools::Connection;

use super::error::{ApiError, ConflictJson, ErrorJson, FieldErrors};
use super::idempotency_key::IdempotencyKey;
use super::if_match::IfMatch;
use super::json::{ApiBody, NewPersonInput, PeopleJson, PersonJson, PersonUpdateInput};
use crate::db::Db;
use crate::models::list::{ListParams, href};
use crate::models::{Created, KeyLifetime, NewPerson, OneTimeKey, Person, PersonChanges, Updated};
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
type Body<T> = Result<ApiBody<T>, ApiError>;

/// List people, a page at a time
///
/// The same search, sort and paging as the `/people` page. `next` and `prev` are the
/// addresses of the neighbouring pages, to be followed as they are.
#[utoipa::path(
    tag = "people",
    params(ListParams),
    responses(
        (status = 200, description = "One page of people, in the order asked for.", body = PeopleJson),
        (status = 400, description = "A damaged `after`/`before`, both at once, or a search over 100 characters.", body = ErrorJson),
    )
)]
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

/// Add a person
///
/// With an `Idempotency-Key`, the request can be sent again safely (after a timeout, say):
/// the same key with the same body answers what the first request did, without adding
/// anyone again, even when both arrive at once.
#[utoipa::path(
    tag = "people",
    params(IdempotencyKey),
    request_body(content = NewPersonInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Added; or, for an `Idempotency-Key` sent before with the same body, the first answer again.",
            body = PersonJson,
            headers(
                ("Location" = String, description = "The person's address: `/api/people/{id}`."),
                ("ETag" = String, description = "The person's version, quoted: send it back as `If-Match`."),
            )),
        (status = 400, description = "The body is not a JSON object, has a field other than `name` or one twice; or the `Idempotency-Key` is not 1 to 255 printable ASCII characters.", body = ErrorJson),
        (status = 413, description = "The body is larger than the `json` limit (16 KiB).", body = ErrorJson),
        (status = 415, description = "The body is not sent as `application/json`.", body = ErrorJson),
        (status = 422, description = "The name is refused or taken (`errors.name`), or the `Idempotency-Key` was used for another name (`errors.Idempotency-Key`).", body = FieldErrors),
    )
)]
#[post("/people", format = "json", data = "<body>")]
async fn create(
    db: &Db,
    key: IdempotencyKey,
    lifetime: &State<KeyLifetime>,
    body: Body<NewPersonInput>,
) -> Result<Tagged<status::Created<Json<PersonJson>>>, ApiError> {
    let name = body?.0.name().map_err(ApiError::Invalid)?;
    let key = key.value()?.map(|key| OneTimeKey::new(key, lifetime.0));
    let mut db = db.connect().await?;
    match Person::create(&mut db, &NewPerson::new(&name, key)).await? {
        Created::New(person) | Created::Again(person) => {
            let location = format!("{BASE}/{}", person.id);
            let Tagged { inner, etag } = Tagged::person(person);
            Ok(Tagged {
                inner: status::Created::new(location).body(inner),
                etag,
            })
        }
        Created::KeyReused(first) => Err(IdempotencyKey::reused(&first)),
        Created::Taken => Err(taken(&name)),
    }
}

/// Read a person
#[utoipa::path(
    tag = "people",
    responses(
        (status = 200, description = "The person as it is now.", body = PersonJson,
            headers(("ETag" = String, description = "The person's version, quoted: send it back as `If-Match`."))),
        (status = 404, description = "No person has this id (or it is not a 32-bit integer).", body = ErrorJson),
        (status = 410, description = "The person is in the trash; `message` gives the address to `POST` to restore them.", body = ErrorJson),
    )
)]
#[get("/people/<id>")]
async fn read(mut db: Connection<Db>, id: i32) -> Result<Tagged<Json<PersonJson>>, ApiError> {
    match Person::find(&mut db, id).await? {
        Some(person) => Ok(Tagged::person(person)),
        None => match Person::find_trashed(&mut db, id).await? {
            Some(_) => Err(ApiError::Gone {
                restore: format!("{BASE}/{id}/restore"),
            }),
            None => Err(ApiError::NotFound),
        },
    }
}

/// Rename a person
///
/// Saves only over the version the client read (the `version` field or `If-Match`): an
/// update made in between is answered with 409 and the person as it is now, never
/// overwritten.
#[utoipa::path(
    tag = "people",
    params(IfMatch),
    request_body(content = PersonUpdateInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved: the person at its new version.", body = PersonJson,
            headers(("ETag" = String, description = "The new version, quoted."))),
        (status = 400, description = "The body is not a JSON object, has a field other than `name` and `version` or one twice; `If-Match` is not one ETag this API sent; or it and `version` disagree.", body = ErrorJson),
        (status = 404, description = "No person has this id.", body = ErrorJson),
        (status = 409, description = "Someone else saved since the version sent: nothing was written; here is the person now.", body = ConflictJson),
        (status = 413, description = "The body is larger than the `json` limit (16 KiB).", body = ErrorJson),
        (status = 415, description = "The body is not sent as `application/json`.", body = ErrorJson),
        (status = 422, description = "The name is refused or taken, or `version` is not a whole number.", body = FieldErrors),
        (status = 428, description = "Neither `version` nor `If-Match` says which version the change is based on.", body = ErrorJson),
    )
)]
#[put("/people/<id>", format = "json", data = "<body>")]
async fn update(
    db: &Db,
    id: i32,
    if_match: IfMatch,
    body: Body<PersonUpdateInput>,
) -> Result<Tagged<Json<PersonJson>>, ApiError> {
    let ApiBody(input) = body?;
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

/// Delete a person (to the trash)
///
/// The person goes to the trash, where they stay `trash_days` (30 by default) and can be
/// restored (`POST /api/people/{id}/restore`). Rocket turns a form POST carrying `_method=delete` into this DELETE, and any site can make
/// a browser send a form POST: refusing form bodies keeps deleting behind the same JSON-only
/// rule as creating and updating.
#[utoipa::path(
    tag = "people",
    responses(
        (status = 204, description = "Moved to the trash."),
        (status = 404, description = "No person has this id.", body = ErrorJson),
        (status = 415, description = "A form body was sent (a cross-site form cannot delete).", body = ErrorJson),
    )
)]
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
// body, or none, reaches these instead; the document describes them with the routes above
// (415).

#[post("/people", rank = 2)]
fn create_not_json() -> ApiError {
    ApiError::NotJson
}

/// Only for well-formed ids: a malformed one is a 404 (`routes::allowed_methods`) whatever
/// the body.
#[put("/people/<_id>", rank = 2)]
fn update_not_json(_id: i32) -> ApiError {
    ApiError::NotJson
}
