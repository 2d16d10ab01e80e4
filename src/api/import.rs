//! `POST /api/people/import`: a CSV file as the body (`Content-Type: text/csv`), read and
//! checked exactly as the import form's, answered with what was added and every refused row.
//! `?dry_run=true` answers the same without adding anyone: the form's preview. A file with
//! refused rows still adds the others, as the form's Confirm does. `text/csv` is not a type a
//! cross-site form can send, so, like the JSON routes, this needs no CSRF token.

use rocket::State;
use rocket::data::Data;
use rocket::serde::json::Json;
use rocket::{Route, post, routes};
use rocket_db_pools::Pool;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorJson};
use crate::csv_file::read_rows;
use crate::db::Db;
use crate::error::AppError;
use crate::forms::{BodyTimeout, ImportLimits, read_bytes};
use crate::models::{Imported, Person, plan_import};

pub(super) fn routes() -> Vec<Route> {
    routes![import, import_not_csv]
}

/// `{"dry_run": false, "added": 2, "refused": [{"line": 3, "name": "", "message": "Enter a
/// name."}]}`; with `dry_run`, `added` is how many would be.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Import)]
pub(super) struct ImportJson {
    dry_run: bool,
    added: usize,
    refused: Vec<RefusedJson>,
}

/// A row the import refuses, with the message the add form would give.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RefusedRow)]
pub(super) struct RefusedJson {
    line: u64,
    name: String,
    message: String,
}

/// Import people from a CSV file
///
/// A `name` column (any case; other columns such as `id` are ignored), UTF-8 with or without
/// BOM, comma or semicolon. Every accepted row is added in one transaction; refused rows are
/// listed with their line and the add form's message. `dry_run=true` adds nobody.
#[utoipa::path(
    tag = "people",
    params(("dry_run" = Option<bool>, Query, description = "Only say what would be added.")),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "What was (or, with `dry_run`, would be) added, and every refused row.", body = ImportJson),
        (status = 400, description = "Not UTF-8, no `name` column, a row that is not CSV, or a bad `dry_run`.", body = ErrorJson),
        (status = 409, description = "A name was taken while the import ran: nothing was added.", body = ErrorJson),
        (status = 413, description = "Larger than the `import` limit, or more rows than `import_max_rows`.", body = ErrorJson),
        (status = 415, description = "Not sent as `text/csv`, or binary data.", body = ErrorJson),
        (status = 422, description = "An empty body, or no rows below the header.", body = ErrorJson),
    )
)]
#[post("/people/import?<dry_run>", format = "text/csv", data = "<body>")]
pub(super) async fn import(
    body_timeout: &State<BodyTimeout>,
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
    // Within `body_timeout`, as every other body: a slow upload holds its socket, no longer.
    let file = read_bytes(*body_timeout.inner(), body, limits.max_bytes)
        .await
        .map_err(ApiError::from)?;
    let rows = read_rows(&file, limits.max_rows).map_err(ApiError::File)?;
    let mut conn = db.get().await.map_err(AppError::NoConnection)?;
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
