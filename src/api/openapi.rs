//! The API's OpenAPI 3.1 document, served at `GET /api/openapi.json`. utoipa derives it from
//! the handlers' `#[utoipa::path]` attributes (with the paths and parameters Rocket's own
//! attributes declare) and from the JSON types themselves, so it cannot drift from the code
//! unnoticed: `tests/app/openapi.rs` fails when a route under `/api` is missing from it.

use std::sync::LazyLock;

use rocket::serde::json::Json;
use rocket::{Route, get, routes};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::error::ErrorJson;
use super::{import, people, trash};

/// The operations below `/api` (Rocket's paths are relative to the mount point).
#[derive(OpenApi)]
#[openapi(paths(
    people::list,
    people::create,
    people::read,
    people::update,
    people::destroy,
    trash::list_trash,
    trash::restore,
    trash::delete_forever,
    trash::history,
    import::import,
    document
))]
struct Operations;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "People",
        description = "The people of a People server: list, add, read, rename and delete. \
            Every error is JSON (`Error`, `FieldErrors` or `Conflict`). A path answers \
            `OPTIONS` with its `Allow` header, and a method it lacks with 405 and `Allow`.",
    ),
    nest((path = "/api", api = Operations)),
    tags(
        (name = "people", description = "People, by id"),
        (name = "trash", description = "Deleted people, for `trash_days`: restore or delete forever"),
    ),
    components(schemas(ErrorJson)),
    modifiers(&ServerTrouble)
)]
struct Api;

static DOCUMENT: LazyLock<Document> = LazyLock::new(Api::openapi);

pub(super) fn routes() -> Vec<Route> {
    routes![document]
}

/// This document
///
/// The API described in OpenAPI 3.1, for code generators, validators and viewers.
#[utoipa::path(
    tag = "document",
    responses((status = 200, description = "This document.", content_type = "application/json", body = Object))
)]
#[get("/openapi.json")]
fn document() -> Json<&'static Document> {
    Json(&DOCUMENT)
}

/// Every operation can also answer 500 (the database failed; logged) and 503 (it is not
/// answering); said once here rather than on each handler.
struct ServerTrouble;

impl Modify for ServerTrouble {
    fn modify(&self, openapi: &mut Document) {
        let error = |description: &str| -> Response {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Error")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in operations(item) {
                let responses = &mut operation.responses.responses;
                responses.insert(
                    "500".into(),
                    error("The database failed; the error is logged.").into(),
                );
                responses.insert(
                    "503".into(),
                    error("The database is not answering; try again shortly.").into(),
                );
            }
        }
    }
}

fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}
