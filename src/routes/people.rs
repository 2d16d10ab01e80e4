//! The HTML pages for people: list, new, create, show, edit, update, confirm delete, delete.
//! Every successful POST answers 303 with a flash message (Post/Redirect/Get); every
//! state-changing form goes through `Protected` (CSRF, limits, unknown fields) first.

use rocket::form::Contextual;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect, Responder};
use rocket::{Route, delete, get, post, put, routes, uri};
use rocket_db_pools::Connection;

use crate::db::Db;
use crate::error::AppError;
use crate::forms::{CsrfToken, EditPersonForm, NewPersonForm, NoFields, Protected};
use crate::models::list::{ListParams, MatchCount};
use crate::models::{Created, NewPerson, Person, PersonChanges, Updated};
use crate::views::{DeletePage, EditPage, ListPage, NameField, NewPage, ShowPage, paths};

pub fn routes() -> Vec<Route> {
    routes![
        root,
        list,
        new,
        create,
        show,
        edit,
        update,
        confirm_delete,
        destroy,
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
    Redirect::to(paths::LIST)
}

#[get("/people?<params..>")]
async fn list(
    mut db: Connection<Db>,
    flash: Option<FlashMessage<'_>>,
    params: ListParams,
) -> Result<ListPage, AppError> {
    let query = params
        .parse()
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let page = Person::page(&mut db, &query).await?;
    let count = match page.count_if_complete(&query) {
        Some(n) => MatchCount::Exactly(n),
        None => Person::count_matches(&mut db, query.search.as_deref()).await?,
    };
    let before = Person::rows_before(&mut db, &query, &page).await?;
    Ok(ListPage::new(
        flash.map(Into::into),
        &query,
        page,
        count,
        before,
    ))
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
    let Some(input) = input_of(&form, &["creation_key"])? else {
        return Ok(Submitted::Refused(NewPage::new(
            NameField::from_refused(&form.context),
            csrf,
        )));
    };
    let key = input.creation_key.as_str();
    match Person::create(&mut db, &NewPerson::new(&input.name, key)).await? {
        // `Again`: the same form sent twice (a double click, a retried request); the first
        // one created the person, and this one answers as if it had too.
        Created::New(person) | Created::Again(person) => Ok(Submitted::Saved(added(&person))),
        Created::Taken => Ok(Submitted::Refused(NewPage::new(
            NameField::taken(&input.name),
            csrf,
        ))),
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
    let details = Person::find_details(&mut db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ShowPage::new(flash.map(Into::into), details))
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
    let Some(input) = input_of(&form, &["version"])? else {
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
    match Person::update(&mut db, id, input.version, &changes).await? {
        Updated::Saved(person) => Ok(Submitted::Saved(Flash::success(
            Redirect::to(uri!(show(person.id))),
            format!("Updated {}", person.name),
        ))),
        Updated::Stale(current) => {
            let name = NameField::prefilled(input.name.as_str());
            Ok(Submitted::Conflict(EditPage::stale(current, name, csrf)))
        }
        Updated::Taken => {
            let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
            let name = NameField::taken(&input.name);
            Ok(Submitted::Refused(EditPage::refused(
                person,
                name,
                input.version,
                csrf,
            )))
        }
        Updated::Missing => Err(AppError::NotFound),
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
    id: i32,
    _form: Protected<'_, NoFields>,
    mut db: Connection<Db>,
) -> Result<Flash<Redirect>, AppError> {
    let person = Person::delete(&mut db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Flash::success(
        Redirect::to(paths::LIST),
        format!("Deleted {}", person.name),
    ))
}

fn broken_hidden_fields() -> AppError {
    AppError::BadRequest(
        "The form's hidden fields were damaged. Reload the page and try again.".into(),
    )
}

/// The form's parsed input, or `None` when the user's own fields were refused (the form is
/// shown again). Hidden fields are ours, not the user's: if one is broken there is nothing
/// the user could fix in the form, so it is a bad request rather than a form error.
fn input_of<'f, T>(
    form: &'f Contextual<'_, T>,
    hidden: &[&str],
) -> Result<Option<&'f T>, AppError> {
    let broken = hidden
        .iter()
        .any(|field| form.context.field_errors(field).next().is_some());
    match broken {
        true => Err(broken_hidden_fields()),
        false => Ok(form.value.as_ref()),
    }
}

#[cfg(test)]
mod tests {
    use rocket::uri;

    use super::*;

    /// The pages link through `views::paths`; these must be the routes' own addresses.
    #[test]
    fn page_links_are_the_routes_addresses() {
        assert_eq!(uri!(new).to_string(), paths::NEW);
        assert_eq!(uri!(show(7)).to_string(), paths::person(7));
        assert_eq!(uri!(edit(7)).to_string(), paths::edit(7));
        assert_eq!(uri!(confirm_delete(7)).to_string(), paths::delete(7));
        assert_eq!(uri!(update(7)).to_string(), paths::person(7));
        assert_eq!(uri!(destroy(7)).to_string(), paths::person(7));
        assert_eq!(routes![list][0].uri.path(), paths::LIST);
        assert_eq!(routes![root][0].uri.path(), "/");
    }
}
