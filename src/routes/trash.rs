//! The trash's pages and forms: the trash itself, Restore (and Undo, which restores what a
//! delete just moved there), restoring under another name when the old one was taken
//! meanwhile (409), deleting forever (with its confirmation), and deleting the people chosen
//! on the list at once. Every form goes through `Protected` (CSRF first) before a connection
//! is taken.

use rocket::response::{Redirect, Responder};
use rocket::{Route, State, delete, get, post, routes};
use rocket_db_pools::Connection;

use super::trash_purge::TrashDays;
use crate::db::Db;
use crate::error::AppError;
use crate::forms::{CsrfToken, NoFields, Protected, RestoreAsForm, SelectedForm};
use crate::models::{MAX_SELECTED, Person, Restored, TrashedPerson};
use crate::views::{
    DeleteForeverPage, Flash, FlashView, FormPage, NameField, RestoreAsPage, TrashPage, paths,
};

pub fn routes() -> Vec<Route> {
    routes![
        trash,
        restore,
        restore_as,
        undo,
        confirm_delete_forever,
        delete_forever,
        delete_selected,
    ]
}

/// Entries per trash page, like the list's default.
const PER_PAGE: i64 = 50;
/// Pages past this are refused (400): `OFFSET` reads every row it skips.
const MAX_PAGE: u32 = 10_000;

#[get("/people/trash?<page>")]
async fn trash(
    mut db: Connection<Db>,
    page: Option<u32>,
    flash: Option<FlashView>,
    days: &State<TrashDays>,
    csrf: CsrfToken,
) -> Result<FormPage<TrashPage>, AppError> {
    let page = page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(AppError::BadRequest(format!(
            "page must be a whole number from 1 to {MAX_PAGE}."
        )));
    }
    let skip = i64::from(page - 1) * PER_PAGE;
    let (people, more) = Person::trash_page(&mut db, skip, PER_PAGE).await?;
    Ok(FormPage(TrashPage::new(
        flash, people, page, more, days.0, csrf,
    )))
}

/// What a restore answers: back to the person (or the list), or the page that offers another
/// name (409 taken; 422 when the other name is refused).
#[derive(Responder)]
pub enum RestoreAnswer {
    Restored(Flash),
    #[response(status = 409)]
    Taken(FormPage<RestoreAsPage>),
    #[response(status = 422)]
    Refused(FormPage<RestoreAsPage>),
}

#[post("/people/<id>/restore", data = "<_form>")]
async fn restore(
    id: i32,
    db: &Db,
    csrf: CsrfToken,
    _form: Protected<'_, NoFields>,
) -> Result<RestoreAnswer, AppError> {
    let mut db = db.connect().await?;
    let outcome = Person::restore(&mut db, &[id], None).await?;
    answer(&mut db, &[id], outcome, csrf).await
}

#[post("/people/<id>/restore-as", data = "<form>")]
async fn restore_as(
    id: i32,
    db: &Db,
    csrf: CsrfToken,
    form: Protected<'_, RestoreAsForm>,
) -> Result<RestoreAnswer, AppError> {
    let Protected(form) = form;
    let mut db = db.connect().await?;
    let Some(input) = form.value.as_ref() else {
        let person = Person::find_trashed(&mut db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let name = NameField::from_refused(&form.context);
        return Ok(RestoreAnswer::Refused(FormPage(RestoreAsPage::new(
            person, name, csrf,
        ))));
    };
    let outcome = Person::restore(&mut db, &[id], Some(&input.name)).await?;
    if let Restored::Taken(person) = outcome {
        let name = NameField::taken(&input.name);
        return Ok(RestoreAnswer::Taken(FormPage(RestoreAsPage::new(
            person, name, csrf,
        ))));
    }
    answer(&mut db, &[id], outcome, csrf).await
}

/// The Undo button of a delete's message: restores everyone it names, in one transaction.
#[post("/people/trash/restore", data = "<form>")]
async fn undo(
    db: &Db,
    csrf: CsrfToken,
    form: Protected<'_, SelectedForm>,
) -> Result<RestoreAnswer, AppError> {
    let ids = selected(&form)?;
    let mut db = db.connect().await?;
    let outcome = Person::restore(&mut db, &ids, None).await?;
    answer(&mut db, &ids, outcome, csrf).await
}

async fn answer(
    db: &mut crate::db::DbConn,
    ids: &[i32],
    outcome: Restored,
    csrf: CsrfToken,
) -> Result<RestoreAnswer, AppError> {
    match outcome {
        Restored::Done(people) => Ok(RestoreAnswer::Restored(match people.as_slice() {
            [one] => Flash::success(
                Redirect::to(paths::person(one.id).to_string()),
                format!("Restored {}", one.name),
            ),
            many => Flash::success(
                Redirect::to(paths::LIST),
                format!("Restored {} people", many.len()),
            ),
        })),
        Restored::Taken(person) if ids.len() == 1 => Ok(RestoreAnswer::Taken(FormPage(
            RestoreAsPage::new(person.clone(), taken_field(&person), csrf),
        ))),
        Restored::Taken(person) => Ok(RestoreAnswer::Restored(Flash::error(
            Redirect::to(paths::TRASH),
            format!(
                "Nobody was restored: someone else is called {} now. Restore them from the \
                 trash under another name, then the others.",
                person.name
            ),
        ))),
        Restored::Missing => match ids {
            [id] => match Person::find(db, *id).await? {
                Some(person) => Err(AppError::Conflict(format!(
                    "{} is not in the trash: they were restored already.",
                    person.name
                ))),
                None => Err(AppError::NotFound),
            },
            _ => Err(AppError::NotFound),
        },
    }
}

fn taken_field(person: &TrashedPerson) -> NameField {
    NameField {
        value: person.name.clone(),
        error: Some(format!(
            "Someone else is called {} now. Choose another name.",
            person.name
        )),
    }
}

#[get("/people/trash/<id>/delete")]
async fn confirm_delete_forever(
    mut db: Connection<Db>,
    id: i32,
    csrf: CsrfToken,
) -> Result<FormPage<DeleteForeverPage>, AppError> {
    let person = Person::find_trashed(&mut db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(FormPage(DeleteForeverPage {
        person,
        csrf_token: csrf.0,
    }))
}

#[delete("/people/trash/<id>", data = "<_form>")]
async fn delete_forever(
    id: i32,
    db: &Db,
    _form: Protected<'_, NoFields>,
) -> Result<Flash, AppError> {
    let mut db = db.connect().await?;
    let person = Person::delete_forever(&mut db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Flash::success(
        Redirect::to(paths::TRASH),
        format!("Deleted {} forever", person.name),
    ))
}

/// The list's Delete selected button: everyone ticked goes to the trash in one transaction,
/// with one Undo for all of them.
#[delete("/people", data = "<form>")]
async fn delete_selected(db: &Db, form: Protected<'_, SelectedForm>) -> Result<Flash, AppError> {
    let ids = selected(&form)?;
    if ids.is_empty() {
        return Ok(Flash::error(
            Redirect::to(paths::LIST),
            "Nobody was selected: tick the people to delete first.",
        ));
    }
    let mut db = db.connect().await?;
    let trashed = Person::trash(&mut db, &ids).await?;
    let message = match trashed.as_slice() {
        [] => return Err(AppError::NotFound),
        [one] => format!("Deleted {}.", one.name),
        many => format!("Deleted {} people.", many.len()),
    };
    let ids: Vec<i32> = trashed.iter().map(|p| p.id).collect();
    Ok(Flash::undoable(Redirect::to(paths::LIST), message, &ids))
}

/// The ids a form sent, each once, at most a page's worth.
fn selected(form: &Protected<'_, SelectedForm>) -> Result<Vec<i32>, AppError> {
    let Some(form) = form.0.value.as_ref() else {
        return Err(AppError::BadRequest(
            "The people to act on were not sent as ids.".into(),
        ));
    };
    let mut ids = form.id.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > MAX_SELECTED {
        return Err(AppError::BadRequest(format!(
            "At most {MAX_SELECTED} people at once (one page of the list)."
        )));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use rocket::uri;

    use super::*;

    #[test]
    fn page_links_are_the_routes_addresses() {
        assert_eq!(uri!(restore(7)).to_string(), paths::restore(7));
        assert_eq!(uri!(restore_as(7)).to_string(), paths::restore_as(7));
        assert_eq!(uri!(delete_forever(7)).to_string(), paths::trashed(7));
        assert_eq!(
            uri!(confirm_delete_forever(7)).to_string(),
            paths::delete_forever(7)
        );
        assert_eq!(routes![undo][0].uri.path(), paths::UNDO);
        assert_eq!(routes![trash][0].uri.path(), paths::TRASH);
        assert_eq!(routes![delete_selected][0].uri.path(), paths::LIST);
    }
}
