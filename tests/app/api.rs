//! The JSON API: every route, its status codes and the shape of every error.

use rocket::http::{ContentType, Method, Status};
use rocket::local::asynchronous::Client;
use serde_json::{Value, json};

use people_test_harness::{TestApp, TestDatabase, backend_tests, figment};

backend_tests!(
    create_answers_201_with_a_location_and_the_person,
    read_answers_the_person,
    unknown_and_malformed_ids_are_json_404s,
    list_pages_with_next_and_prev_links,
    list_searches_and_sorts_like_the_page,
    list_refuses_damaged_cursors_with_a_json_400,
    refused_names_are_422s_with_the_forms_messages,
    a_taken_name_is_a_422_on_the_name_field,
    update_saves_and_answers_the_person,
    update_of_a_missing_person_is_404_even_with_a_bad_name,
    delete_answers_204_and_then_404,
    bodies_must_be_sent_as_json,
    a_cross_site_form_can_neither_delete_nor_rename_through_the_api,
    unreadable_bodies_are_json_400s,
    an_oversized_body_is_a_json_413,
    unknown_api_routes_are_json_and_pages_stay_html,
    an_update_from_a_stale_version_is_a_409_with_the_person_as_it_is_now,
    if_match_carries_the_version_like_the_field,
    an_update_that_names_no_version_is_a_428,
    unknown_and_repeated_fields_are_json_400s,
);

fn not_found() -> Value {
    json!({"error": "not found"})
}

fn name_error(message: &str) -> Value {
    json!({"errors": {"name": [message]}})
}

async fn create(app: &TestApp, name: &str) -> i32 {
    let response = app.api_post(&json!({ "name": name })).await;
    let body = response.assert_json(Status::Created);
    body["id"]
        .as_i64()
        .and_then(|id| i32::try_from(id).ok())
        .unwrap_or_else(|| panic!("an id: {body}"))
}

async fn create_answers_201_with_a_location_and_the_person(app: TestApp) {
    let response = app.api_post(&json!({"name": "  Ada Lovelace "})).await;
    let body = response.assert_json(Status::Created);
    let id = body["id"].as_i64().expect("an id");
    assert_eq!(
        body,
        &json!({"id": id, "name": "Ada Lovelace", "version": 1})
    );
    assert_eq!(
        response.location.as_deref(),
        Some(format!("/api/people/{id}").as_str())
    );
    assert_eq!(response.etag.as_deref(), Some("\"1\""));
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn read_answers_the_person(app: TestApp) {
    let id = create(&app, "Zoë 李小龙").await;
    let response = app.api_get(&format!("/api/people/{id}")).await;
    assert_eq!(
        response.assert_json(Status::Ok),
        &json!({"id": id, "name": "Zoë 李小龙", "version": 1})
    );
    assert_eq!(response.etag.as_deref(), Some("\"1\""));
}

async fn unknown_and_malformed_ids_are_json_404s(app: TestApp) {
    create(&app, "Ada").await;
    for uri in [
        "/api/people/999999",
        "/api/people/0",
        "/api/people/-1",
        "/api/people/abc",
        "/api/people/99999999999",
        "/api/people/1/nonsense",
    ] {
        let body = json!({"name": "Nobody", "version": 1});
        for response in [
            app.api_get(uri).await,
            app.api_send(Method::Put, uri, &body).await,
            app.api(Method::Delete, uri, None, None).await,
        ] {
            assert_eq!(
                response.assert_json(Status::NotFound),
                &not_found(),
                "{uri}"
            );
        }
    }
    assert_eq!(app.listed_names().await, ["Ada"]);
}

async fn list_pages_with_next_and_prev_links(app: TestApp) {
    app.insert_people(&["Cy", "Al", "Eve", "Bea", "Dan"]).await;
    let first = app.api_get("/api/people?per_page=2").await;
    assert_eq!(first.names(), ["Al", "Bea"]);
    assert_eq!(first.json["prev"], Value::Null);
    let next = first.json["next"].as_str().expect("a next link");
    assert!(next.starts_with("/api/people?per_page=2&after="), "{next}");

    let second = app.api_get(next).await;
    assert_eq!(second.names(), ["Cy", "Dan"]);
    let third = app
        .api_get(second.json["next"].as_str().expect("a third page"))
        .await;
    assert_eq!(third.names(), ["Eve"]);
    assert_eq!(third.json["next"], Value::Null);
    let back = app
        .api_get(third.json["prev"].as_str().expect("a previous page"))
        .await;
    assert_eq!(back.names(), ["Cy", "Dan"]);

    let everyone = app.api_get("/api/people").await;
    assert_eq!(
        everyone.assert_json(Status::Ok)["people"][0],
        json!({"id": 2, "name": "Al", "version": 1})
    );
    assert_eq!(everyone.names().len(), 5);
    assert_eq!(everyone.json["next"], Value::Null);
}

async fn list_searches_and_sorts_like_the_page(app: TestApp) {
    app.insert_people(&["Ada Lovelace", "Grace Hopper", "ADAM SMITH", "Bob"])
        .await;
    assert_eq!(
        app.api_get("/api/people?q=ada").await.names(),
        ["Ada Lovelace", "ADAM SMITH"]
    );
    assert_eq!(
        app.api_get("/api/people?sort=name_desc").await.names(),
        ["Grace Hopper", "Bob", "ADAM SMITH", "Ada Lovelace"]
    );
    assert_eq!(
        app.api_get("/api/people?sort=newest&per_page=2")
            .await
            .names(),
        ["Bob", "ADAM SMITH"]
    );
    let paged = app.api_get("/api/people?q=a&sort=newest&per_page=1").await;
    let next = paged.json["next"].as_str().expect("a next link");
    assert!(
        next.starts_with("/api/people?q=a&sort=newest&per_page=1&after="),
        "{next}"
    );
    // One letter: names that start with it.
    assert_eq!(paged.names(), ["ADAM SMITH"]);
    assert_eq!(app.api_get(next).await.names(), ["Ada Lovelace"]);
    assert!(app.api_get("/api/people?q=zzz").await.names().is_empty());
}

async fn list_refuses_damaged_cursors_with_a_json_400(app: TestApp) {
    for (uri, message) in [
        (
            "/api/people?after=1:A&before=1:A",
            "Use either `after` or `before`, not both.",
        ),
        (
            "/api/people?after=garbage",
            "The page position (`after` or `before`) is not one this list made. Start again from the first page.",
        ),
    ] {
        let response = app.api_get(uri).await;
        assert_eq!(
            response.assert_json(Status::BadRequest),
            &json!({"error": "bad request", "message": message})
        );
    }
}

async fn refused_names_are_422s_with_the_forms_messages(app: TestApp) {
    for (body, message) in [
        (json!({}), "Enter a name."),
        (json!({"name": null}), "Enter a name."),
        (json!({"name": "   "}), "Enter a name."),
        (
            json!({"name": "x".repeat(81)}),
            "Use at most 80 characters; this name has 81.",
        ),
        (
            json!({"name": "Ada\u{0}Lovelace"}),
            "Names cannot contain invisible control characters.",
        ),
        (json!({"name": 7}), "Send the name as a JSON string."),
        (json!({"name": ["Ada"]}), "Send the name as a JSON string."),
        // What the OpenAPI schema says of the name as sent (a form tidies these up instead).
        (
            json!({"name": "Ada\tLovelace"}),
            "Names cannot contain invisible control characters.",
        ),
        (
            json!({"name": format!(" {}", "x".repeat(80))}),
            "Use at most 80 characters; this name has 81.",
        ),
    ] {
        let response = app.api_post(&body).await;
        assert_eq!(
            response.assert_json(Status::UnprocessableEntity),
            &name_error(message),
            "{body}"
        );
    }
    assert!(app.listed_names().await.is_empty());
}

async fn a_taken_name_is_a_422_on_the_name_field(app: TestApp) {
    create(&app, "Ada Lovelace").await;
    let grace = create(&app, "Grace Hopper").await;
    let taken = name_error("Ada Lovelace is already taken.");
    let again = app.api_post(&json!({"name": " Ada Lovelace"})).await;
    assert_eq!(again.assert_json(Status::UnprocessableEntity), &taken);
    let rename = app.api_save(grace, "ada lovelace", 1).await;
    assert_eq!(
        rename.assert_json(Status::UnprocessableEntity),
        &name_error("ada lovelace is already taken.")
    );
    assert_eq!(app.listed_names().await, ["Ada Lovelace", "Grace Hopper"]);
}

async fn update_saves_and_answers_the_person(app: TestApp) {
    let id = create(&app, "Ada Lovelace").await;
    let response = app.api_save(id, "Ada King", 1).await;
    assert_eq!(
        response.assert_json(Status::Ok),
        &json!({"id": id, "name": "Ada King", "version": 2})
    );
    assert_eq!(response.etag.as_deref(), Some("\"2\""));
    let same = app.api_save(id, "Ada King", 2).await;
    same.assert_json(Status::Ok);
    let refused = app.api_save(id, "", 3).await;
    assert_eq!(
        refused.assert_json(Status::UnprocessableEntity),
        &name_error("Enter a name.")
    );
    assert_eq!(app.listed_names().await, ["Ada King"]);
}

async fn update_of_a_missing_person_is_404_even_with_a_bad_name(app: TestApp) {
    for body in [
        json!({"name": "Nobody"}),
        json!({"name": "Nobody", "version": 1}),
        json!({"name": ""}),
        json!({}),
    ] {
        let response = app.api_put(999_999, &body).await;
        assert_eq!(response.assert_json(Status::NotFound), &not_found());
    }
    assert!(app.listed_names().await.is_empty());
}

async fn delete_answers_204_and_then_404(app: TestApp) {
    let ada = create(&app, "Ada").await;
    create(&app, "Grace").await;
    let uri = format!("/api/people/{ada}");
    let deleted = app.api(Method::Delete, &uri, None, None).await;
    assert_eq!(deleted.status, Status::NoContent);
    assert_eq!(deleted.text, "");
    let again = app.api(Method::Delete, &uri, None, None).await;
    assert_eq!(again.assert_json(Status::NotFound), &not_found());
    // In the trash: a read says so with 410 (tests/app/trash.rs).
    app.api_get(&uri).await.assert_json(Status::Gone);
    assert_eq!(app.listed_names().await, ["Grace"]);
}

async fn bodies_must_be_sent_as_json(app: TestApp) {
    let id = create(&app, "Ada").await;
    let unsupported = json!({
        "error": "unsupported media type",
        "message": "Send the body as JSON, with `Content-Type: application/json`."
    });
    let person = format!("/api/people/{id}");
    for (method, uri) in [
        (Method::Post, "/api/people"),
        (Method::Put, person.as_str()),
    ] {
        for content_type in [
            Some(ContentType::Form),
            Some(ContentType::Plain),
            Some(ContentType::new("application", "jsonx")),
            None,
        ] {
            let response = app
                .api(
                    method,
                    uri,
                    content_type.clone(),
                    Some(r#"{"name": "Eve"}"#),
                )
                .await;
            assert_eq!(
                response.assert_json(Status::UnsupportedMediaType),
                &unsupported,
                "{method} {uri} {content_type:?}"
            );
        }
    }
    assert_eq!(app.listed_names().await, ["Ada"]);

    // The media type is what counts; parameters such as the charset are fine.
    let with_charset = ContentType::new("application", "json").with_params(("charset", "utf-8"));
    let response = app
        .api(
            Method::Post,
            "/api/people",
            Some(with_charset),
            Some(r#"{"name": "Eve"}"#),
        )
        .await;
    response.assert_json(Status::Created);
}

/// What another site's page can make a browser send: a form POST, which Rocket reads as the
/// method its `_method` field names.
async fn a_cross_site_form_can_neither_delete_nor_rename_through_the_api(app: TestApp) {
    let id = create(&app, "Ada").await;
    let uri = format!("/api/people/{id}");
    for fields in [
        &[("_method", "delete")][..],
        &[("_method", "put"), ("name", "Mallory")][..],
    ] {
        let body = people_test_harness::encode_form(fields);
        let response = app
            .api(Method::Post, &uri, Some(ContentType::Form), Some(&body))
            .await;
        assert_eq!(
            response.assert_json(Status::UnsupportedMediaType)["error"],
            "unsupported media type"
        );
    }
    assert_eq!(app.listed_names().await, ["Ada"]);
    // A DELETE as a client sends it, with no body, still works.
    let deleted = app.api(Method::Delete, &uri, None, None).await;
    assert_eq!(deleted.status, Status::NoContent);
}

async fn unreadable_bodies_are_json_400s(app: TestApp) {
    for body in [
        "",
        "{",
        "name=Ada",
        r#"["Ada"]"#,
        r#""Ada""#,
        "null",
        "\u{feff}{}",
    ] {
        let response = app.api_post_raw(body).await;
        let json = response.assert_json(Status::BadRequest);
        assert_eq!(json["error"], "bad request", "{body:?}");
        let message = json["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("Send a JSON object such as"),
            "{message}"
        );
    }
    let invalid_utf8 = app
        .client
        .post("/api/people")
        .header(ContentType::JSON)
        .body(vec![b'{', b'"', 0xff, b'"', b'}'])
        .dispatch()
        .await;
    assert_eq!(invalid_utf8.status(), Status::BadRequest);
    assert_eq!(invalid_utf8.content_type(), Some(ContentType::JSON));
    assert!(app.listed_names().await.is_empty());
}

async fn an_oversized_body_is_a_json_413(app: TestApp) {
    let huge = format!(r#"{{"name": "{}"}}"#, "a".repeat(2 * 1024 * 1024));
    let response = app.api_post_raw(&huge).await;
    assert_eq!(
        response.assert_json(Status::PayloadTooLarge),
        &json!({"error": "payload too large", "message": "The body is larger than this API accepts."})
    );
    assert!(app.listed_names().await.is_empty());
}

async fn unknown_api_routes_are_json_and_pages_stay_html(app: TestApp) {
    for uri in ["/api", "/api/", "/api/nothing", "/api/people/1/2/3"] {
        let response = app.api_get(uri).await;
        assert_eq!(
            response.assert_json(Status::NotFound),
            &not_found(),
            "{uri}"
        );
    }
    let patch = app
        .api_send(Method::Patch, "/api/nothing", &json!({"name": "Ada"}))
        .await;
    assert_eq!(patch.assert_json(Status::NotFound), &not_found());
    app.get("/nowhere").await.assert_html(Status::NotFound);
    app.get("/apiary").await.assert_html(Status::NotFound);
}

/// Server errors cannot be caused from outside on purpose, so a route that fails is added to
/// the real app: the catchers decide the body, JSON under `/api` and a page elsewhere.
#[rocket::async_test]
async fn server_errors_are_json_under_api_and_pages_elsewhere() {
    #[rocket::get("/fail/<code>")]
    fn fail(code: u16) -> Status {
        Status::from_code(code).unwrap_or(Status::InternalServerError)
    }

    let db = TestDatabase::sqlite();
    let rocket = people::build(figment(&db.url()))
        .mount("/api", rocket::routes![fail])
        .mount("/", rocket::routes![fail]);
    let client = Client::tracked(rocket).await.expect("the app launches");
    for (code, reason) in [
        (500, "internal server error"),
        (503, "service unavailable"),
        (400, "bad request"),
        (413, "payload too large"),
        (422, "unprocessable entity"),
    ] {
        let api = client.get(format!("/api/fail/{code}")).dispatch().await;
        assert_eq!(api.status().code, code);
        assert_eq!(api.content_type(), Some(ContentType::JSON));
        let body: Value = serde_json::from_str(&api.into_string().await.unwrap_or_default())
            .expect("a JSON body");
        assert_eq!(body, json!({ "error": reason }));

        let page = client.get(format!("/fail/{code}")).dispatch().await;
        assert_eq!(page.status().code, code);
        assert_eq!(page.content_type(), Some(ContentType::HTML));
    }
}

async fn an_update_from_a_stale_version_is_a_409_with_the_person_as_it_is_now(app: TestApp) {
    let id = create(&app, "Ada Lovelace").await;
    app.api_save(id, "Ada King", 1)
        .await
        .assert_json(Status::Ok);
    let stale = app.api_save(id, "Countess Lovelace", 1).await;
    let body = stale.assert_json(Status::Conflict);
    assert_eq!(body["error"], "conflict");
    assert_eq!(
        body["current"],
        json!({"id": id, "name": "Ada King", "version": 2})
    );
    assert_eq!(
        app.listed_names().await,
        ["Ada King"],
        "nothing was overwritten"
    );
    app.api_save(id, "Countess Lovelace", 2)
        .await
        .assert_json(Status::Ok);
}

async fn if_match_carries_the_version_like_the_field(app: TestApp) {
    let id = create(&app, "Ada Lovelace").await;
    let etag = app
        .api_get(&format!("/api/people/{id}"))
        .await
        .etag
        .expect("an ETag");
    app.api_put_if_match(id, &json!({"name": "Ada King"}), &etag)
        .await
        .assert_json(Status::Ok);
    app.api_put_if_match(id, &json!({"name": "Mallory"}), &etag)
        .await
        .assert_json(Status::Conflict);
    for (header, body) in [
        ("*", json!({"name": "Mallory"})),
        ("W/\"2\"", json!({"name": "Mallory"})),
        ("\"3\"", json!({"name": "Mallory", "version": 2})),
    ] {
        let refused = app.api_put_if_match(id, &body, header).await;
        assert_eq!(
            refused.assert_json(Status::BadRequest)["error"],
            "bad request",
            "{header}"
        );
    }
    assert_eq!(app.listed_names().await, ["Ada King"]);
}

async fn an_update_that_names_no_version_is_a_428(app: TestApp) {
    let id = create(&app, "Ada Lovelace").await;
    let response = app.api_put(id, &json!({"name": "Ada King"})).await;
    let body = response.assert_json(Status::PreconditionRequired);
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("If-Match"),
        "{body}"
    );
    for version in [
        json!("1"),
        json!(1.5),
        json!(null),
        json!(99_999_999_999_i64),
    ] {
        let response = app
            .api_put(id, &json!({"name": "Ada King", "version": version}))
            .await;
        let body = response.assert_json(Status::UnprocessableEntity);
        assert!(body["errors"]["version"].is_array(), "{version}: {body}");
    }
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn unknown_and_repeated_fields_are_json_400s(app: TestApp) {
    for body in [
        r#"{"name": "Ada", "admin": true}"#,
        r#"{"name": "Ada", "name": "Eve"}"#,
        r#"{"name": "Ada", "id": 7}"#,
    ] {
        let response = app.api_post_raw(body).await;
        let json = response.assert_json(Status::BadRequest);
        assert_eq!(json["error"], "bad request", "{body}");
    }
    assert!(app.listed_names().await.is_empty());
}
