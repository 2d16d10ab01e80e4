//! The HTML pages for people: list, new, create, show, edit, update, confirm delete, delete.
//! Every successful POST answers 303 with a flash message (Post/Redirect/Get); every
//! state-changing form goes through `Protected` (CSRF, limits, unknown fields) first.

use rocket::form::Context;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect, Responder};
use rocket::{Route, delete, get, post, put, routes, uri};
use rocket_db_pools::Connection;

use crate::csrf::CsrfToken;
use crate::db::Db;
use crate::error::AppError;
use crate::forms::{EditPersonForm, NewPersonForm, NoFields, Protected};
use crate::list_params::ListParams;
use crate::models::{MatchCount, NewPerson, Person, PersonChanges, Updated, is_unique_violation};
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
    #[response(status = 409)]
    Conflict(Page),
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
fn new(csrf: CsrfToken) -> NewPage {
    NewPage::new(NameField::blank(), csrf)
}

#[post("/people", data = "<form>")]
async fn create(
    mut db: Connection<Db>,
    csrf: CsrfToken,
    form: Protected<'_, NewPersonForm>,
) -> Result<Submitted<NewPage>, AppError> {
    let Protected(form) = form;
    refuse_broken_hidden_fields(&form.context, &["creation_key"])?;
    let Some(input) = &form.value else {
        return Ok(Submitted::Refused(NewPage::new(
            NameField::from_refused(&form.context),
            csrf,
        )));
    };
    let key = input.creation_key.as_str();
    match Person::create(&mut db, &NewPerson::new(&input.name, key)).await {
        Ok(person) => Ok(Submitted::Saved(added(&person))),
        Err(e) if is_unique_violation(&e) => {
            // The same form sent twice (a double click, a retried request): the first one
            // created the person, and this one answers as if it had too.
            if let Some(key) = key
                && let Some(person) = Person::find_by_creation_key(&mut db, key).await?
            {
                return Ok(Submitted::Saved(added(&person)));
            }
            Ok(Submitted::Refused(NewPage::new(
                NameField::taken(&input.name),
                csrf,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

fn added(person: &Person) -> Flash<Redirect> {
    Flash::success(
        Redirect::to(uri!(show(person.id))),
        format!("Added {}", person.name),
    )
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
async fn edit(mut db: Connection<Db>, id: i32, csrf: CsrfToken) -> Result<EditPage, AppError> {
    let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
    Ok(EditPage::new(person, csrf))
}

#[put("/people/<id>", data = "<form>")]
async fn update(
    mut db: Connection<Db>,
    id: i32,
    csrf: CsrfToken,
    form: Protected<'_, EditPersonForm>,
) -> Result<Submitted<EditPage>, AppError> {
    let Protected(form) = form;
    refuse_broken_hidden_fields(&form.context, &["version"])?;
    let Some(input) = &form.value else {
        let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
        let version = form
            .context
            .field_value("version")
            .and_then(|v| v.parse().ok())
            .ok_or_else(broken_hidden_fields)?;
        let name = NameField::from_refused(&form.context);
        return Ok(Submitted::Refused(EditPage::refused(
            person, name, version, csrf,
        )));
    };
    let changes = PersonChanges::new(&input.name);
    match Person::update(&mut db, id, input.version, &changes).await {
        Ok(Updated::Saved(person)) => Ok(Submitted::Saved(Flash::success(
            Redirect::to(uri!(show(person.id))),
            format!("Updated {}", person.name),
        ))),
        Ok(Updated::Stale(current)) => {
            let name = NameField::prefilled(input.name.as_str());
            Ok(Submitted::Conflict(EditPage::stale(current, name, csrf)))
        }
        Ok(Updated::Missing) => Err(AppError::NotFound),
        Err(e) if is_unique_violation(&e) => {
            let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
            let name = NameField::taken(&input.name);
            Ok(Submitted::Refused(EditPage::refused(
                person,
                name,
                input.version,
                csrf,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

#[get("/people/<id>/delete")]
async fn confirm_delete(
    mut db: Connection<Db>,
    id: i32,
    csrf: CsrfToken,
) -> Result<DeletePage, AppError> {
    let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
    Ok(DeletePage {
        person,
        csrf_token: csrf.0,
    })
}

#[delete("/people/<id>", data = "<_form>")]
async fn destroy(
    mut db: Connection<Db>,
    id: i32,
    _form: Protected<'_, NoFields>,
) -> Result<Flash<Redirect>, AppError> {
    let person = Person::delete(&mut db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Flash::success(
        Redirect::to(LIST),
        format!("Deleted {}", person.name),
    ))
}

fn broken_hidden_fields() -> AppError {
    AppError::BadRequest(
        "The form's hidden fields were damaged. Reload the page and try again.".into(),
    )
}

/// Hidden fields are ours, not the user's: if one is broken there is nothing the user could
/// fix in the form, so it is a bad request rather than a form error.
fn refuse_broken_hidden_fields(context: &Context<'_>, hidden: &[&str]) -> Result<(), AppError> {
    match hidden
        .iter()
        .any(|field| context.field_errors(field).next().is_some())
    {
        true => Err(broken_hidden_fields()),
        false => Ok(()),
    }
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
