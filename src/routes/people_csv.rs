//! People in and out as CSV: the export (`GET /people.csv`, streamed a batch at a time) and
//! the import pages (`GET /people/import`, then `POST /people/import` for the preview and
//! again for the confirmation). Reading a file and deciding what it would add is
//! `csv_file`'s job; these handlers move bytes and pick pages.

use rocket::http::{Header, Status};
use rocket::response::Redirect;
use rocket::response::stream::ByteStream;
use rocket::{Responder, Route, get, post, routes};
use rocket_db_pools::Pool;

use crate::csv_file::{HEADER, encode_rows, read_rows};
use crate::db::{Db, DbConn};
use crate::error::AppError;
use crate::forms::{CsrfToken, CsvUpload, ImportForm, ImportLimits};
use crate::models::list::{Batches, ListParams};
use crate::models::{Imported, Person, plan_import};
use crate::views::{Flash, ImportPage, PreviewPage, paths, people_text};

pub fn routes() -> Vec<Route> {
    routes![export, import_form, import]
}

/// The first batch is small, so the first bytes leave quickly; later ones amortise the
/// query. One batch is all the export holds in memory.
const FIRST_BATCH: usize = 100;
const BATCH: usize = 1000;

#[derive(Responder)]
#[response(content_type = "text/csv; charset=utf-8")]
pub struct CsvDownload<S> {
    body: S,
    disposition: Header<'static>,
}

/// A connection for a handler that reads its body before touching the database, or that
/// takes one per batch.
async fn connection(db: &Db) -> Result<DbConn, AppError> {
    db.get().await.map_err(AppError::NoConnection)
}

/// Every person the list with these `q` and `sort` shows, however many pages. Each batch
/// takes a pooled connection and gives it back, so a slow download holds none while it
/// waits. An error after the first bytes can no longer change the status: it is logged and
/// the file ends there.
#[get("/people.csv?<params..>")]
async fn export(
    db: &Db,
    params: ListParams,
) -> Result<CsvDownload<ByteStream![Vec<u8> + '_]>, AppError> {
    let query = params
        .parse()
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let mut batches = Batches::of(&query);
    let first = {
        let mut conn = connection(db).await?;
        batches.next(&mut conn, FIRST_BATCH).await?
    };
    let mut head = HEADER.to_vec();
    head.extend(encoded(first.as_deref().unwrap_or_default()));
    let body = ByteStream! {
        yield head;
        loop {
            let batch = match connection(db).await {
                Ok(mut conn) => batches.next(&mut conn, BATCH).await.map_err(AppError::from),
                Err(e) => Err(e),
            };
            match batch {
                Ok(Some(people)) => yield encoded(&people),
                Ok(None) => break,
                Err(e) => {
                    rocket::error!("GET /people.csv stopped early: {e}");
                    break;
                }
            }
        }
    };
    Ok(CsvDownload {
        body,
        disposition: Header::new(
            "Content-Disposition",
            r#"attachment; filename="people.csv""#,
        ),
    })
}

fn encoded(people: &[Person]) -> Vec<u8> {
    encode_rows(people.iter().map(|p| (p.id, p.name.as_str()))).unwrap_or_else(|e| {
        rocket::error!("GET /people.csv: a batch could not be written: {e}");
        Vec::new()
    })
}

#[get("/people/import")]
fn import_form(csrf: CsrfToken, limits: ImportLimits) -> ImportPage {
    ImportPage::new(csrf, limits, None)
}

/// What posting the import form answers.
#[derive(Responder)]
enum ImportAnswer {
    Imported(Flash),
    Preview(PreviewPage),
    /// The file could not be read (400, 413, 415, 422): the form again, saying why.
    Unreadable((Status, ImportPage)),
    /// The people changed since the preview: nothing was imported; the new preview.
    #[response(status = 409)]
    Changed(PreviewPage),
}

/// A file gets a preview; a preview's Confirm imports, if the file would still do exactly
/// what the preview said, in one transaction. The body is read (and its CSRF token checked)
/// before a connection is taken, so a slow upload holds none.
#[post("/people/import", data = "<upload>")]
async fn import(
    db: &Db,
    csrf: CsrfToken,
    limits: ImportLimits,
    upload: CsvUpload,
) -> Result<ImportAnswer, AppError> {
    let (file, expected) = match upload.0 {
        ImportForm::Preview { file } => (file, None),
        ImportForm::Confirm { file, expected } => (file, Some(expected)),
    };
    let rows = match read_rows(&file, limits.max_rows) {
        Ok(rows) => rows,
        Err(e) => {
            let page = ImportPage::new(csrf, limits, Some(e.to_string()));
            return Ok(ImportAnswer::Unreadable((e.status(), page)));
        }
    };
    let mut conn = connection(db).await?;
    let plan = plan_import(&mut conn, rows.clone()).await?;
    let Some(expected) = expected else {
        return Ok(ImportAnswer::Preview(PreviewPage::new(
            &plan, &file, csrf, false,
        )));
    };
    if expected != plan.fingerprint() {
        return Ok(ImportAnswer::Changed(PreviewPage::new(
            &plan, &file, csrf, true,
        )));
    }
    match Person::import(&mut conn, &plan.accepted).await? {
        Imported::Added(n) => Ok(ImportAnswer::Imported(Flash::success(
            Redirect::to(paths::LIST),
            format!("Imported {}", people_text(n)),
        ))),
        // Someone took a name between the check and the insert: show what the file would
        // do now.
        Imported::Taken => {
            let plan = plan_import(&mut conn, rows).await?;
            Ok(ImportAnswer::Changed(PreviewPage::new(
                &plan, &file, csrf, true,
            )))
        }
    }
}
