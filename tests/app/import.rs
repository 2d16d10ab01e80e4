//! `GET/POST /people/import` and `POST /api/people/import`: a preview first, naming every
//! refused row by its line and in the form's words; Confirm adds the rest in one
//! transaction, unless the people changed since the preview; limits, encodings, CSRF.

use rocket::figment::Figment;
use rocket::http::{ContentType, Method, Status};
use serde_json::json;

use people_test_harness::{Part, TestApp, TestDatabase, backend_tests, figment};

backend_tests!(
    the_form_says_what_it_takes,
    a_preview_writes_nothing_and_confirm_adds_the_accepted_rows,
    every_refusal_is_listed_with_its_line_and_the_forms_words,
    a_name_taken_between_preview_and_confirm_refuses_the_whole_import,
    an_export_imports_back_as_it_was,
    files_that_cannot_be_read_get_the_form_again_saying_why,
    files_over_the_size_limit_are_413,
    rows_beyond_the_row_limit_refuse_the_file,
    forged_and_malformed_uploads_change_nothing,
    the_api_previews_with_dry_run_and_imports_without,
    the_api_refuses_what_it_cannot_read,
);

async fn the_form_says_what_it_takes(app: TestApp) {
    app.get("/people/import")
        .await
        .assert_html(Status::Ok)
        .assert_contains("<h1>Import people</h1>")
        .assert_contains(r#"enctype="multipart/form-data""#)
        .assert_contains(r#"<input id="file" name="file" type="file" accept=".csv,text/csv""#)
        .assert_contains("Up to 5 MiB and\n    100,000 rows.");
}

async fn a_preview_writes_nothing_and_confirm_adds_the_accepted_rows(app: TestApp) {
    app.insert_people(&["Grace Hopper"]).await;
    let file = "id,name\r\n1,Ada Lovelace\r\n2,Grace Hopper\r\n3,Alan Turing\r\n";
    let preview = app.upload_import(file.as_bytes()).await;
    preview
        .assert_html(Status::Ok)
        .assert_contains("<h1>Check the import</h1>")
        .assert_contains("<strong>2 people</strong> would be added; 1 row would be refused.")
        .assert_contains("<td>3</td>")
        .assert_contains("<td>Grace Hopper is already taken.</td>")
        .assert_contains("Import 2 people</button>");
    assert_eq!(
        app.listed_names().await,
        ["Grace Hopper"],
        "nothing written yet"
    );

    app.confirm_import(&preview)
        .await
        .assert_redirect("/people");
    let list = app.get("/people").await;
    assert_eq!(
        list.names(),
        ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    );
    list.assert_contains("Imported 2 people");
    // Confirming the same preview again adds nothing twice: the names are taken now.
    app.confirm_import(&preview)
        .await
        .assert_html(Status::Conflict);
    assert_eq!(app.count().await, 3);
}

async fn every_refusal_is_listed_with_its_line_and_the_forms_words(app: TestApp) {
    app.insert_people(&["Grace Hopper"]).await;
    let long = "x".repeat(81);
    let file = format!(
        "name\nAda\n\n{long}\nEvil\u{1b}[31m\ngrace  HOPPER\nada\n\"Alan\nTuring\"\nAlan Turing\n"
    );
    let preview = app.upload_import(file.as_bytes()).await;
    preview
        .assert_html(Status::Ok)
        .assert_contains("<strong>2 people</strong> would be added; 5 rows would be refused.");
    let rows: Vec<(String, String)> = preview
        .body
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row
                .split("<td>")
                .skip(1)
                .map(|cell| cell.split("</td>").next().unwrap_or_default())
                .collect();
            (cells[0].to_owned(), cells[2].to_owned())
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("4", "Use at most 80 characters; this name has 81."),
            ("5", "Names cannot contain invisible control characters."),
            ("6", "grace HOPPER is already taken."),
            ("7", "ada is already on line 2 of this file."),
            ("10", "Alan Turing is already on line 8 of this file."),
        ]
        .map(|(line, message)| (line.to_owned(), message.to_owned()))
    );
    // The blank line 3 is not a row at all; the quoted line break is one name on lines 8–9.
    app.confirm_import(&preview)
        .await
        .assert_redirect("/people");
    assert_eq!(
        app.listed_names().await,
        ["Ada", "Alan Turing", "Grace Hopper"]
    );
}

async fn a_name_taken_between_preview_and_confirm_refuses_the_whole_import(app: TestApp) {
    let preview = app.upload_import(b"name\nAda\nGrace\nAlan\n").await;
    preview.assert_contains("<strong>3 people</strong> would be added.");
    // Someone adds Grace while the preview is open.
    app.create_person("GRACE").await;
    let again = app.confirm_import(&preview).await;
    again
        .assert_html(Status::Conflict)
        .assert_contains("The people changed since your preview")
        .assert_contains("Nothing was imported.")
        .assert_contains("<strong>2 people</strong> would be added; 1 row would be refused.")
        .assert_contains("<td>Grace is already taken.</td>");
    assert_eq!(app.listed_names().await, ["GRACE"], "nothing was imported");
    // The new preview confirms.
    app.confirm_import(&again).await.assert_redirect("/people");
    assert_eq!(app.listed_names().await, ["Ada", "Alan", "GRACE"]);
}

async fn an_export_imports_back_as_it_was(app: TestApp) {
    let names = [
        "=1+2",
        "@SUM(A1)",
        "King, Ada",
        "Ada \"the Countess\"",
        "Zoë 李",
    ];
    app.insert_people(&names).await;
    let export = app.client.get("/people.csv").dispatch().await;
    let csv = export.into_bytes().await.expect("an export");
    let other = TestApp::sqlite().await;
    let preview = other.upload_import(&csv).await;
    preview.assert_contains("<strong>5 people</strong> would be added.");
    other
        .confirm_import(&preview)
        .await
        .assert_redirect("/people");
    assert_eq!(other.listed_names().await, app.listed_names().await);
}

async fn files_that_cannot_be_read_get_the_form_again_saying_why(app: TestApp) {
    for (file, status, message) in [
        (
            &b""[..],
            Status::UnprocessableEntity,
            "Choose a CSV file to import.",
        ),
        (
            b"name\n",
            Status::UnprocessableEntity,
            "The file has no rows below its header.",
        ),
        (
            b"name\n\xe9t\xe9\n",
            Status::BadRequest,
            "This file is not UTF-8 text.",
        ),
        (
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            Status::UnsupportedMediaType,
            "This is not a CSV file",
        ),
        (
            b"Ada\nGrace\n",
            Status::BadRequest,
            "This file&#39;s first line is: Ada",
        ),
    ] {
        app.upload_import(file)
            .await
            .assert_html(status)
            .assert_contains("<h1>Import people</h1>")
            .assert_contains(r#"<div class="error-summary" role="alert""#)
            .assert_contains(r#"aria-invalid="true""#)
            .assert_contains(message);
    }
    assert_eq!(app.count().await, 0);
}

/// The app with extra settings, on a fresh database of the same backend as `app`'s.
async fn configured(app: &TestApp, settings: fn(Figment) -> Figment) -> TestApp {
    let db = match &app.db {
        TestDatabase::Sqlite(_) => TestDatabase::sqlite(),
        other => TestDatabase::Url(other.url()),
    };
    let figment = settings(figment(&db.url()));
    TestApp::launch_with(db, figment).await
}

async fn files_over_the_size_limit_are_413(app: TestApp) {
    let app = configured(&app, |f| f.merge(("limits.import", "1 KiB"))).await;
    let mut file = b"name\n".to_vec();
    while file.len() <= 1024 {
        file.extend(b"Someone Longish\n");
    }
    app.upload_import(&file)
        .await
        .assert_html(Status::PayloadTooLarge);
    let api = app
        .api(
            Method::Post,
            "/api/people/import",
            Some(ContentType::CSV),
            Some(&String::from_utf8(file).unwrap()),
        )
        .await;
    assert_eq!(api.status, Status::PayloadTooLarge);
    // Within the limit is fine.
    app.upload_import(b"name\nAda\n")
        .await
        .assert_html(Status::Ok);
    assert_eq!(app.count().await, 0);
}

async fn rows_beyond_the_row_limit_refuse_the_file(app: TestApp) {
    let app = configured(&app, |f| f.merge(("import_max_rows", 3))).await;
    app.upload_import(b"name\na\nb\nc\nd\n")
        .await
        .assert_html(Status::PayloadTooLarge)
        .assert_contains("The file has more than 3 rows; split it into files of at most 3.");
    app.upload_import(b"name\na\nb\nc\n")
        .await
        .assert_html(Status::Ok);
    assert_eq!(app.count().await, 0);
}

async fn forged_and_malformed_uploads_change_nothing(app: TestApp) {
    let file = Part::File("file", "people.csv", b"name\nAda\n");
    // No token, or another session's.
    app.post_multipart(
        "/people/import",
        &[Part::File("file", "p.csv", b"name\nAda\n")],
        &[],
    )
    .await
    .assert_html(Status::Forbidden);
    let token = app.csrf_token().await;
    let with_token = [Part::Field("csrf_token", &token), file];
    app.post_multipart(
        "/people/import",
        &with_token,
        &[("Sec-Fetch-Site", "cross-site")],
    )
    .await
    .assert_html(Status::Forbidden);
    app.post_multipart(
        "/people/import",
        &with_token,
        &[("Origin", "https://evil.example")],
    )
    .await
    .assert_html(Status::Forbidden);
    // A field the form does not have, a file sent twice, a form that is not multipart.
    let unknown = [
        Part::Field("csrf_token", &token),
        Part::Field("admin", "1"),
        Part::File("file", "p.csv", b"name\nAda\n"),
    ];
    app.post_multipart("/people/import", &unknown, &[])
        .await
        .assert_html(Status::BadRequest);
    let twice = [
        Part::Field("csrf_token", &token),
        Part::File("file", "p.csv", b"name\nAda\n"),
        Part::File("file", "q.csv", b"name\nBea\n"),
    ];
    app.post_multipart("/people/import", &twice, &[])
        .await
        .assert_html(Status::BadRequest);
    app.post_form("/people/import", &[("file", "name\nAda\n")])
        .await
        .assert_html(Status::UnsupportedMediaType);
    // A confirmation whose carried file was damaged.
    let damaged = [
        Part::Field("csrf_token", &token),
        Part::Field("csv", "not base64!"),
        Part::Field("expected", "1-0"),
    ];
    app.post_multipart("/people/import", &damaged, &[])
        .await
        .assert_html(Status::BadRequest);
    assert_eq!(app.count().await, 0);
}

async fn the_api_previews_with_dry_run_and_imports_without(app: TestApp) {
    app.insert_people(&["Grace"]).await;
    let file = "name\nAda\n\nGrace\nada\n";
    let csv = Some(ContentType::CSV);
    let preview = app
        .api(
            Method::Post,
            "/api/people/import?dry_run=true",
            csv.clone(),
            Some(file),
        )
        .await;
    assert_eq!(preview.status, Status::Ok);
    let refused = json!([
        {"line": 4, "name": "Grace", "message": "Grace is already taken."},
        {"line": 5, "name": "ada", "message": "ada is already on line 2 of this file."},
    ]);
    assert_eq!(
        preview.json,
        json!({"dry_run": true, "added": 1, "refused": refused})
    );
    assert_eq!(app.count().await, 1, "a dry run writes nothing");
    let done = app
        .api(Method::Post, "/api/people/import", csv, Some(file))
        .await;
    assert_eq!(done.status, Status::Ok);
    assert_eq!(
        done.json,
        json!({"dry_run": false, "added": 1, "refused": refused})
    );
    assert_eq!(app.listed_names().await, ["Ada", "Grace"]);
}

async fn the_api_refuses_what_it_cannot_read(app: TestApp) {
    let json_body = app
        .api(
            Method::Post,
            "/api/people/import",
            Some(ContentType::JSON),
            Some("{}"),
        )
        .await;
    assert_eq!(json_body.status, Status::UnsupportedMediaType);
    assert_eq!(json_body.json["error"], "unsupported media type");
    let no_name = app
        .api(
            Method::Post,
            "/api/people/import",
            Some(ContentType::CSV),
            Some("id\n1\n"),
        )
        .await;
    assert_eq!(no_name.status, Status::BadRequest);
    let bad_flag = app
        .api(
            Method::Post,
            "/api/people/import?dry_run=maybe",
            Some(ContentType::CSV),
            Some("name\nA\n"),
        )
        .await;
    assert_eq!(bad_flag.status, Status::BadRequest);
    assert_eq!(app.count().await, 0);
}
