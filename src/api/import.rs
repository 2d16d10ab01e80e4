//! `POST /api/people/import`: a CSV file as the body (`Content-Type: text/csv`), read and
//! checked exactly as the import form's, answered with what was added and every refused row.
//! `?dry_run=true` answers the same without adding anyone: the form's preview. A file with
//! refused rows still adds the others, as the form's Confirm does. `text/csv` is not a type a
//! cross-site form can send, so, like the JSON routes, this needs no CSRF token.

use rocket::data::Data;
use rocket::serde::json::Json;
use rocket::{Route, post, routes};
use rocket_db_pools::Pool;
use serde::Serialize;

use super::error::ApiError;
use crate::csv_file::read_rows;
use crate::db::Db;
use crate::error::AppError;
use crate::forms::ImportLimits;
use crate::models::{Imported, Person, plan_import};

pub(super) fn routes() -> Vec<Route> {
    routes![import, import_not_csv]
}

/// `{"dry_run": false, "added": 2, "refused": [{"line": 3, "name": "", "message": "Enter a
/// name."}]}`; with `dry_run`, `added` is how many would be.
#[derive(Debug, Serialize)]
struct ImportJson {
    dry_run: bool,
    added: usize,
    refused: Vec<RefusedJson>,
}

#[derive(Debug, Serialize)]
struct RefusedJson {
    line: u64,
    name: String,
    message: String,
}

#[post("/people/import?<dry_run>", format = "text/csv", data = "<body>")]
async fn import(
    db: &Db,
    limits: ImportLimits,
    dry_run: Option<&str>,
    body: Data<'_>,
) -> Result<Json<ImportJson>, ApiError> {
    let dry_run = match dry_run.map(str::trim) {
        None | Some("" | "false" | "0") => false,
        Some("true" | "1") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "dry_run is true or false, not {other:?}."
            )));
        }
    };
    let file = body
        .open(limits.max_bytes)
        .into_bytes()
        .await
        .map_err(|e| ApiError::BadRequest(format!("The body could not be read: {e}.")))?;
    if !file.is_complete() {
        return Err(ApiError::TooLarge);
    }
    let rows = read_rows(&file, limits.max_rows).map_err(ApiError::File)?;
    let mut conn = db
        .get()
        .await
        .map_err(|e| AppError::NoConnection(e.to_string()))?;
    let plan = plan_import(&mut conn, rows).await?;
    let added = if dry_run {
        plan.accepted.len()
    } else {
        match Person::import(&mut conn, &plan.accepted).await? {
            Imported::Added(n) => n,
            Imported::Taken => return Err(ApiError::ImportConflict),
        }
    };
    Ok(Json(ImportJson {
        dry_run,
        added,
        refused: plan
            .refused
            .into_iter()
            .map(|row| RefusedJson {
                line: row.line,
                message: row.reason.to_string(),
                name: row.name,
            })
            .collect(),
    }))
}

#[post("/people/import", rank = 2)]
fn import_not_csv() -> ApiError {
    ApiError::NotCsv
}
