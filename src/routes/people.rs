//! The HTML pages for people: list, new, create, show, edit, update, confirm delete, delete.
//! Every successful POST answers 303 with a flash message (Post/Redirect/Get).

use rocket::form::{Contextual, Form};
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect, Responder};
use rocket::{Route, delete, get, post, put, routes, uri};
use rocket_db_pools::Connection;

use crate::db::Db;
use crate::error::AppError;
use crate::forms::PersonForm;
use crate::list_params::ListParams;
use crate::models::{MatchCount, NewPerson, Person, PersonChanges, is_unique_violation};
use crate::views::{DeletePage, EditPage, IndexPage, NameField, NewPage, ShowPage};

pub fn routes() -> Vec<Route> {
    routes![
        root,
        index,
        new,
        create,
        show,
        edit,
        update,
        confirm_delete,
        destroy,
        unknown_get,
        unknown_post,
        unknown_put,
        unknown_delete,
    ]
}

/// What a form submission answers: a redirect after a save, or the form again.
#[derive(Responder)]
#[expect(
    clippy::large_enum_variant,
    reason = "returned once per request, moved once"
)]
pub enum Submitted<Page> {
    Saved(Flash<Redirect>),
    #[response(status = 422)]
    Refused(Page),
}

#[get("/")]
fn root() -> Redirect {
    Redirect::to(LIST)
}

/// The list without parameters: what the site links to and redirects to.
const LIST: &str = "/people";

#[get("/people?<params..>")]
async fn index(
    mut db: Connection<Db>,
    flash: Option<FlashMessage<'_>>,
    params: ListParams,
) -> Result<IndexPage, AppError> {
    let query = params
        .parse()
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let page = Person::page(&mut db, &query).await?;
    let count = match page.count_if_complete(&query) {
        Some(n) => MatchCount::Exactly(n),
        None => Person::count_matches(&mut db, query.search.as_deref()).await?,
    };
    Ok(IndexPage::new(flash.map(Into::into), &query, page, count))
}

#[get("/people/new")]
fn new() -> NewPage {
    NewPage {
        name: NameField::blank(),
    }
}

#[post("/people", data = "<form>")]
async fn create(
    mut db: Connection<Db>,
    form: Form<Contextual<'_, PersonForm>>,
) -> Result<Submitted<NewPage>, AppError> {
    let Some(input) = &form.value else {
        return Ok(Submitted::Refused(NewPage {
            name: NameField::from_refused(&form.context),
        }));
    };
    match Person::create(&mut db, &NewPerson::new(&input.name)).await {
        Ok(person) => Ok(Submitted::Saved(Flash::success(
            Redirect::to(uri!(show(person.id))),
            format!("Added {}", person.name),
        ))),
        Err(e) if is_unique_violation(&e) => Ok(Submitted::Refused(NewPage {
            name: NameField::taken(&input.name),
        })),
        Err(e) => Err(e.into()),
    }
}

#[get("/people/<id>")]
async fn show(
    mut db: Connection<Db>,
    id: i32,
    flash: Option<FlashMessage<'_>>,
) -> Result<ShowPage, AppError> {
    let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
    Ok(ShowPage {
        flash: flash.map(Into::into),
        person,
    })
}

#[get("/people/<id>/edit")]
async fn edit(mut db: Connection<Db>, id: i32) -> Result<EditPage, AppError> {
    let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
    let name = NameField::prefilled(&person.name);
    Ok(EditPage { person, name })
}

#[put("/people/<id>", data = "<form>")]
async fn update(
    mut db: Connection<Db>,
    id: i32,
    form: Form<Contextual<'_, PersonForm>>,
) -> Result<Submitted<EditPage>, AppError> {
    let Some(input) = &form.value else {
        let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
        let name = NameField::from_refused(&form.context);
        return Ok(Submitted::Refused(EditPage { person, name }));
    };
    match Person::update(&mut db, id, &PersonChanges::new(&input.name)).await {
        Ok(Some(person)) => Ok(Submitted::Saved(Flash::success(
            Redirect::to(uri!(show(person.id))),
            format!("Updated {}", person.name),
        ))),
        Ok(None) => Err(AppError::NotFound),
        Err(e) if is_unique_violation(&e) => {
            let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
            Ok(Submitted::Refused(EditPage {
                person,
                name: NameField::taken(&input.name),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

#[get("/people/<id>/delete")]
async fn confirm_delete(mut db: Connection<Db>, id: i32) -> Result<DeletePage, AppError> {
    let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
    Ok(DeletePage { person })
}

#[delete("/people/<id>")]
async fn destroy(mut db: Connection<Db>, id: i32) -> Result<Flash<Redirect>, AppError> {
    let person = Person::delete(&mut db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Flash::success(
        Redirect::to(LIST),
        format!("Deleted {}", person.name),
    ))
}

// An id that is not an `i32` (`/people/abc`, `/people/99999999999`) makes Rocket forward the
// request with 422. These catch what the routes above forwarded, so a malformed id is the
// 404 it means to a user: there is no such page.

#[get("/people/<_>/<_..>", rank = 100)]
fn unknown_get() -> AppError {
    AppError::NotFound
}

#[post("/people/<_>/<_..>", rank = 100)]
fn unknown_post() -> AppError {
    AppError::NotFound
}

#[put("/people/<_>/<_..>", rank = 100)]
fn unknown_put() -> AppError {
    AppError::NotFound
}

#[delete("/people/<_>/<_..>", rank = 100)]
fn unknown_delete() -> AppError {
    AppError::NotFound
}
