//! The API's trash and history: the people in the trash (paged, newest first), restoring one
//! (`POST /api/people/{id}/restore`), deleting one forever (`DELETE /api/people/trash/{id}`),
//! and a person's history (`GET /api/people/{id}/history`). `DELETE /api/people/{id}`
//! (`people::destroy`) is what puts people in the trash; reading a trashed person there
//! answers 410 with the address that restores them.
//!
//! The restore takes no body, and refuses a form's: any site can make a browser send a form
//! POST, so like every other API write it must not be one.

use rocket::http::{ContentType, Status};
use rocket::response::status::NoContent;
use rocket::serde::json::Json;
use rocket::{Route, delete, get, post, routes};
use rocket_db_pools::Connection;

use super::error::{ApiError, ErrorJson};
use super::json::{HistoryEntryJson, HistoryJson, PersonJson, TrashJson, TrashedJson};
use crate::db::Db;
use crate::models::{Person, Restored};

pub(super) fn routes() -> Vec<Route> {
    routes![list_trash, restore, delete_forever, history]
}

/// Entries per page of the trash.
const PER_PAGE: i64 = 50;
/// Pages past this are refused: `OFFSET` reads every row it skips.
const MAX_PAGE: u32 = 10_000;

const BASE: &str = "/api/people/trash";

/// List the trash, newest first
///
/// People deleted in the last `trash_days` days (30 by default), 50 a page. `next` and
/// `prev` are the addresses of the neighbouring pages.
#[utoipa::path(
    tag = "trash",
    params(("page" = Option<u32>, Query, description = "The page, from 1 (the default) to 10000.", minimum = 1, maximum = 10000)),
    responses(
        (status = 200, description = "One page of the trash.", body = TrashJson),
        (status = 400, description = "`page` is not a whole number from 1 to 10000.", body = ErrorJson),
    )
)]
#[get("/people/trash?<page>")]
async fn list_trash(mut db: Connection<Db>, page: Vec<&str>) -> Result<Json<TrashJson>, ApiError> {
    // Every `page` given, so that one given twice is refused: Rocket reads a repeated field
    // into an `Option` as `None`, which would quietly answer the first page.
    let page = match page.as_slice() {
        [] => 1,
        [text] => text
            .parse::<u32>()
            .ok()
            .filter(|page| (1..=MAX_PAGE).contains(page))
            .ok_or_else(|| {
                ApiError::BadRequest(format!("page must be a whole number from 1 to {MAX_PAGE}."))
            })?,
        _ => return Err(ApiError::BadRequest("page must be given once.".into())),
    };
    let skip = i64::from(page - 1) * PER_PAGE;
    let (people, more) = Person::trash_page(&mut db, skip, PER_PAGE).await?;
    Ok(Json(TrashJson {
        people: people.into_iter().map(TrashedJson::from).collect(),
        next: more.then(|| format!("{BASE}?page={}", page + 1)),
        prev: (page > 1).then(|| match page - 1 {
            1 => BASE.to_owned(),
            n => format!("{BASE}?page={n}"),
        }),
    }))
}

/// Restore a person from the trash
///
/// Puts them back with the same id and name at the next version. Of simultaneous restores of
/// the same person exactly one succeeds; the others get 409 (they are back already).
#[utoipa::path(
    tag = "trash",
    responses(
        (status = 200, description = "Restored: the person at their new version.", body = PersonJson),
        (status = 404, description = "Nobody with this id is in the trash or living.", body = ErrorJson),
        (status = 409, description = "Someone living has this name now, or the person was restored already; `message` says which. Nothing was restored.", body = ErrorJson),
        (status = 415, description = "A form body was sent (a cross-site form cannot restore).", body = ErrorJson),
    )
)]
#[post("/people/<id>/restore")]
async fn restore(
    mut db: Connection<Db>,
    id: i32,
    content_type: Option<&ContentType>,
) -> Result<Json<PersonJson>, ApiError> {
    if content_type.is_some_and(|ct| ct.is_form() || ct.is_form_data()) {
        return Err(ApiError::NotJson);
    }
    match Person::restore(&mut db, &[id], None).await? {
        Restored::Done(mut people) => {
            let person = people.pop().ok_or(ApiError::NotFound)?;
            Ok(Json(PersonJson::from(person)))
        }
        Restored::Taken(trashed) => Err(ApiError::Refused(
            Status::Conflict,
            format!(
                "Someone else is called {} now: rename or delete them first. Nothing was \
                 restored.",
                trashed.name
            ),
        )),
        Restored::Missing => match Person::find(&mut db, id).await? {
            Some(_) => Err(ApiError::Refused(
                Status::Conflict,
                "This person is not in the trash: they were restored already.".into(),
            )),
            None => Err(ApiError::NotFound),
        },
    }
}

/// Delete a person in the trash forever
///
/// With their history. Only people in the trash can be: delete a living person
/// (`DELETE /api/people/{id}`) first.
#[utoipa::path(
    tag = "trash",
    responses(
        (status = 204, description = "Deleted forever."),
        (status = 404, description = "Nobody with this id is in the trash.", body = ErrorJson),
        (status = 415, description = "A form body was sent (a cross-site form cannot delete).", body = ErrorJson),
    )
)]
#[delete("/people/trash/<id>")]
async fn delete_forever(
    mut db: Connection<Db>,
    id: i32,
    content_type: Option<&ContentType>,
) -> Result<NoContent, ApiError> {
    if content_type.is_some_and(|ct| ct.is_form() || ct.is_form_data()) {
        return Err(ApiError::NotJson);
    }
    Person::delete_forever(&mut db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(NoContent)
}

/// A person's history, newest first
///
/// Every create, rename, delete (to the trash) and restore, with the names before and
/// after, the version it made and when (UTC); at most the newest 200. Also for people in the
/// trash; a person deleted forever has none left (404).
#[utoipa::path(
    tag = "people",
    responses(
        (status = 200, description = "The person's changes, newest first.", body = HistoryJson),
        (status = 404, description = "Nobody with this id is living or in the trash.", body = ErrorJson),
    )
)]
#[get("/people/<id>/history")]
async fn history(mut db: Connection<Db>, id: i32) -> Result<Json<HistoryJson>, ApiError> {
    let entries = Person::history(&mut db, id).await?;
    if entries.is_empty()
        && Person::find(&mut db, id).await?.is_none()
        && Person::find_trashed(&mut db, id).await?.is_none()
    {
        return Err(ApiError::NotFound);
    }
    Ok(Json(HistoryJson {
        history: entries.iter().map(HistoryEntryJson::from).collect(),
    }))
}
