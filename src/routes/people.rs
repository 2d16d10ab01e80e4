//! The HTML pages for people: list, new, create, show, edit, update, confirm delete, delete.
//! Every successful POST answers 303 with a flash message (Post/Redirect/Get); every
//! state-changing form goes through `Protected` (CSRF, limits, unknown fields) first, and
//! only then takes a database connection (`Db::connect`), so a slow client holds none.
//! Every page holding a form is sent as a `FormPage` (never stored by the browser's cache).

use rocket::form::Contextual;
use rocket::response::{Redirect, Responder};
use rocket::tokio::time::Instant;
use rocket::{Route, State, delete, get, post, put, routes, uri};
use rocket_db_pools::Connection;

use crate::db::{Db, SharedReads};
use crate::error::AppError;
use crate::forms::{CsrfToken, EditPersonForm, NewPersonForm, NoFields, Protected};
use crate::models::list::{ListParams, ListQuery};
use crate::models::{Created, KeyLifetime, NewPerson, OneTimeKey, Person, PersonChanges, Updated};
use crate::views::{
    DeletePage, EditPage, Flash, FlashView, FormPage, ListPage, NameField, NewPage, ShowPage,
    ShownList, TrashedPage, paths,
};

/// The list's reads, shared by the requests that ask for the same list at the same moment
/// (managed state, see `db::SharedReads`).
pub type SharedLists = SharedReads<ListQuery, ShownList, AppError>;

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
    Saved(Flash),
    #[response(status = 422)]
    Refused(FormPage<Page>),
    #[response(status = 409)]
    Conflict(FormPage<Page>),
}

#[get("/")]
fn root() -> Redirect {
    Redirect::to(paths::LIST)
}

/// Requests for the same list at the same moment share one read of it, and its rendered
/// rows (`db::SharedReads`); each adds its own flash and form token.
#[get("/people?<params..>")]
async fn list(
    db: &Db,
    lists: &State<SharedLists>,
    flash: Option<FlashView>,
    params: ListParams,
    csrf: CsrfToken,
) -> Result<ListPage, AppError> {
    let arrived = Instant::now();
    let query = params
        .parse()
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let searching = query.search.is_some();
    let pool = db.pool();
    let patience = pool.longest_read(searching);
    let list = lists
        .get(query, patience, async |query| {
            let mut conn = pool.connect_reading_all_since(searching, arrived).await?;
            let listing = Person::listing(&mut conn, query).await?;
            Ok(ShownList::new(query, listing)?)
        })
        .await?;
    Ok(ListPage {
        flash,
        csrf_token: csrf.0,
        list,
    })
}

#[get("/people/new")]
fn new(csrf: CsrfToken) -> FormPage<NewPage> {
    FormPage(NewPage::new(NameField::blank(), csrf))
}

#[post("/people", data = "<form>")]
async fn create(
    db: &Db,
    csrf: CsrfToken,
    lifetime: &State<KeyLifetime>,
    form: Protected<'_, NewPersonForm>,
) -> Result<Submitted<NewPage>, AppError> {
    let Protected(form) = form;
    let refused = |name| Ok(Submitted::Refused(FormPage(NewPage::new(name, csrf))));
    let Some(input) = input_of(&form, &["creation_key"])? else {
        return refused(NameField::from_refused(&form.context));
    };
    let key = input
        .creation_key
        .as_str()
        .map(|key| OneTimeKey::new(key, lifetime.0));
    let mut conn = db.connect().await?;
    match Person::create(&mut conn, &NewPerson::new(&input.name, key)).await? {
        // `Again`: the same form sent twice (a double click, a retried request); the first
        // one created the person, and this one answers as if it had too.
        Created::New(person) | Created::Again(person) => Ok(Submitted::Saved(added(&person))),
        // The form was sent before with another name (Back, then a new name): that is a new
        // request, to confirm, on a form with a fresh key, never someone else's success.
        Created::KeyReused(first) => refused(NameField::key_reused(&input.name, &first)),
        Created::Taken => refused(NameField::taken(&input.name)),
    }
}

fn added(person: &Person) -> Flash {
    Flash::success(
        Redirect::to(uri!(show(person.id))),
        format!("Added {}", person.name),
    )
}

/// A person's page, or for someone in the trash 410 Gone with a Restore button.
#[derive(Responder)]
pub enum Shown {
    Live(ShowPage),
    #[response(status = 410)]
    Trashed(FormPage<TrashedPage>),
}

#[get("/people/<id>")]
async fn show(
    mut db: Connection<Db>,
    id: i32,
    flash: Option<FlashView>,
    csrf: CsrfToken,
) -> Result<Shown, AppError> {
    let Some(details) = Person::find_details(&mut db, id).await? else {
        let trashed = Person::find_trashed(&mut db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(Shown::Trashed(FormPage(TrashedPage::new(trashed, csrf))));
    };
    let history = Person::history(&mut db, id).await?;
    Ok(Shown::Live(ShowPage::new(flash, details, &history)))
}

#[get("/people/<id>/edit")]
async fn edit(
    mut db: Connection<Db>,
    id: i32,
    csrf: CsrfToken,
) -> Result<FormPage<EditPage>, AppError> {
    let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
    Ok(FormPage(EditPage::new(person, csrf)))
}

#[put("/people/<id>", data = "<form>")]
async fn update(
    db: &Db,
    id: i32,
    csrf: CsrfToken,
    form: Protected<'_, EditPersonForm>,
) -> Result<Submitted<EditPage>, AppError> {
    let Protected(form) = form;
    let mut db = db.connect().await?;
    let Some(input) = input_of(&form, &["version"])? else {
        let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
        let version = form
            .context
            .field_value("version")
            .and_then(|v| v.parse().ok())
            .ok_or_else(broken_hidden_fields)?;
        let name = NameField::from_refused(&form.context);
        return Ok(Submitted::Refused(FormPage(EditPage::refused(
            person, name, version, csrf,
        ))));
    };
    let changes = PersonChanges::new(&input.name);
    match Person::update(&mut db, id, input.version, &changes).await? {
        Updated::Saved(person) => Ok(Submitted::Saved(Flash::success(
            Redirect::to(uri!(show(person.id))),
            format!("Updated {}", person.name),
        ))),
        Updated::Stale(current) => {
            let name = NameField::prefilled(input.name.as_str());
            Ok(Submitted::Conflict(FormPage(EditPage::stale(
                current, name, csrf,
            ))))
        }
        Updated::Taken => {
            let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
            let name = NameField::taken(&input.name);
            Ok(Submitted::Refused(FormPage(EditPage::refused(
                person,
                name,
                input.version,
                csrf,
            ))))
        }
        Updated::Missing => Err(AppError::NotFound),
    }
}

#[get("/people/<id>/delete")]
async fn confirm_delete(
    mut db: Connection<Db>,
    id: i32,
    csrf: CsrfToken,
) -> Result<FormPage<DeletePage>, AppError> {
    let person = Person::find(&mut db, id).await?.ok_or(AppError::NotFound)?;
    Ok(FormPage(DeletePage {
        person,
        csrf_token: csrf.0,
    }))
}

#[delete("/people/<id>", data = "<_form>")]
async fn destroy(id: i32, db: &Db, _form: Protected<'_, NoFields>) -> Result<Flash, AppError> {
    let mut db = db.connect().await?;
    let person = Person::delete(&mut db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Flash::undoable(
        Redirect::to(paths::LIST),
        format!("Deleted {}.", person.name),
        &[person.id],
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
        assert_eq!(uri!(show(7)).to_string(), paths::person(7).to_string());
        assert_eq!(uri!(edit(7)).to_string(), paths::edit(7).to_string());
        assert_eq!(
            uri!(confirm_delete(7)).to_string(),
            paths::delete(7).to_string()
        );
        assert_eq!(uri!(update(7)).to_string(), paths::person(7).to_string());
        assert_eq!(uri!(destroy(7)).to_string(), paths::person(7).to_string());
        assert_eq!(routes![list][0].uri.path(), paths::LIST);
        assert_eq!(routes![root][0].uri.path(), "/");
    }
}
