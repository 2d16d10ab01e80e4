//! The OpenAPI document at `/api/openapi.json`: OpenAPI 3.1, and describing exactly the routes
//! mounted under `/api`, so a route added without its description fails here. (CI also
//! validates it with openapi-spec-validator and fuzzes the API from it: `.ci/fuzz-api`.)

use std::collections::BTreeSet;

use rocket::http::Status;
use serde_json::Value;

use people_test_harness::{TestApp, backend_tests};

backend_tests!(
    the_document_is_openapi_3_1_json,
    every_api_route_is_described_and_nothing_else,
    the_name_rules_are_in_the_schema,
    every_operation_documents_its_errors_as_json,
    every_operation_has_its_own_id,
);

/// The routes that answer what no API route took (a missing method's 405, a malformed id's
/// 404): the router's, not operations of the API.
const FALLBACK_ROUTE: &str = "method_not_allowed";

async fn document(app: &TestApp) -> Value {
    app.api_get("/api/openapi.json")
        .await
        .assert_json(Status::Ok)
        .clone()
}

async fn the_document_is_openapi_3_1_json(app: TestApp) {
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "People");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
}

/// A path's shape, parameters unnamed: `/api/people/<id>` (Rocket) and `/api/people/{id}`
/// (OpenAPI) are both `/api/people/{}`. (A route that only refuses a request, such as
/// `update_not_json`, may leave its parameter unnamed.)
fn shape(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('<') || segment.starts_with('{') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn every_api_route_is_described_and_nothing_else(app: TestApp) {
    let mounted: BTreeSet<(String, String)> = app
        .client
        .rocket()
        .routes()
        .filter(|route| route.uri.path().starts_with("/api/"))
        .filter(|route| route.name.as_deref() != Some(FALLBACK_ROUTE))
        .map(|route| {
            (
                shape(route.uri.path()),
                route.method.as_str().to_lowercase(),
            )
        })
        .collect();
    let doc = document(&app).await;
    let described: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .map(move |method| (shape(path), method.clone()))
        })
        .collect();
    assert_eq!(mounted, described);
    assert!(mounted.contains(&("/api/people/{}".into(), "put".into())));
}

async fn the_name_rules_are_in_the_schema(app: TestApp) {
    let doc = document(&app).await;
    for schema in ["NewPerson", "PersonUpdate"] {
        let name = &doc["components"]["schemas"][schema]["properties"]["name"];
        assert_eq!(name["type"], "string", "{schema}");
        assert_eq!(name["maxLength"], 80, "{schema}");
        assert_eq!(name["minLength"], 1, "{schema}");
        assert_eq!(
            name["pattern"],
            people::person_name::SCHEMA_PATTERN,
            "{schema}"
        );
        assert_eq!(
            doc["components"]["schemas"][schema]["additionalProperties"],
            false
        );
    }
    let create = &doc["paths"]["/api/people"]["post"];
    let headers: Vec<&str> = create["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter(|p| p["in"] == "header")
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(headers, ["Idempotency-Key"]);
    let created = &create["responses"]["201"]["headers"];
    assert!(created["Location"].is_object() && created["ETag"].is_object());
}

async fn every_operation_documents_its_errors_as_json(app: TestApp) {
    let doc = document(&app).await;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let responses = operation["responses"].as_object().expect("responses");
            for status in ["500", "503"] {
                assert!(responses.contains_key(status), "{method} {path}: {status}");
            }
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/json"]["schema"].is_object(),
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
}

/// Clients generated from the document name their methods after `operationId`, and OpenAPI
/// requires them unique (utoipa takes the handler's name, so two modules' `list` collided).
async fn every_operation_has_its_own_id(app: TestApp) {
    let doc = document(&app).await;
    let mut seen = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let id = operation["operationId"].as_str().expect("an operationId");
            assert!(
                seen.insert(id.to_owned()),
                "{method} {path}: {id} used twice"
            );
        }
    }
}
