//! `GET /people.csv`: every person the list's search and sort show, streamed in batches,
//! quoted as RFC 4180 says, with formulas neutralised.

use rocket::http::{ContentType, Status};

use people_test_harness::{TestApp, backend_tests};

backend_tests!(
    the_export_is_every_match_of_the_search_in_the_lists_order,
    a_streamed_export_holds_many_batches_once_each,
    names_are_quoted_and_formulas_neutralised,
    an_empty_export_is_its_header,
    a_bad_search_is_a_400_page,
    the_list_links_its_export_for_the_current_search_and_sort,
);

/// The export's status, headers and body.
async fn export(app: &TestApp, uri: &str) -> (Status, Option<ContentType>, Option<String>, String) {
    let response = app.client.get(uri.to_owned()).dispatch().await;
    let status = response.status();
    let content_type = response.content_type();
    let disposition = response
        .headers()
        .get_one("Content-Disposition")
        .map(str::to_owned);
    let body = response.into_string().await.unwrap_or_default();
    (status, content_type, disposition, body)
}

fn names_of(csv: &str) -> Vec<String> {
    csv.split("\r\n")
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(|line| line.split_once(',').expect("id,name").1.to_owned())
        .collect()
}

async fn the_export_is_every_match_of_the_search_in_the_lists_order(app: TestApp) {
    let names: Vec<String> = (0..150).map(|i| format!("Person {i:03}")).collect();
    app.insert_people(&names).await;
    app.insert_people(&["Ada", "Grace"]).await;
    let (status, content_type, disposition, body) = export(
        &app,
        "/people.csv?q=person+1&sort=name_desc&per_page=3&after=1:ada",
    )
    .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(content_type, Some(ContentType::CSV));
    assert_eq!(
        disposition.as_deref(),
        Some(r#"attachment; filename="people.csv""#)
    );
    assert!(body.starts_with("id,name\r\n"), "{body}");
    // Not one page of three: all 50 matches ("Person 100" to "Person 149"), Z to A.
    let expected: Vec<String> = (100..150).rev().map(|i| format!("Person {i:03}")).collect();
    assert_eq!(names_of(&body), expected);
    let first_row = body.split("\r\n").nth(1).unwrap_or_default();
    assert_eq!(first_row, "150,Person 149");
}

async fn a_streamed_export_holds_many_batches_once_each(app: TestApp) {
    // More than the first batch (100) and a full one (1,000) after it.
    let names: Vec<String> = (0..1234).map(|i| format!("P{i:04}")).collect();
    app.insert_people(&names).await;
    let (status, _, _, body) = export(&app, "/people.csv?sort=newest").await;
    assert_eq!(status, Status::Ok);
    let exported = names_of(&body);
    let expected: Vec<String> = names.iter().rev().cloned().collect();
    assert_eq!(exported.len(), 1234);
    assert_eq!(exported, expected);
}

async fn names_are_quoted_and_formulas_neutralised(app: TestApp) {
    app.insert_people(&[
        "King, Ada",
        "Ada \"the Countess\"",
        "=HYPERLINK(\"http://evil.example\")",
        "+44 Ada",
        "-Ada",
        "@SUM(A1)",
        "Zoë 李",
    ])
    .await;
    let (_, _, _, body) = export(&app, "/people.csv?sort=newest").await;
    assert_eq!(
        body,
        "id,name\r\n\
         7,Zoë 李\r\n\
         6,'@SUM(A1)\r\n\
         5,'-Ada\r\n\
         4,'+44 Ada\r\n\
         3,\"'=HYPERLINK(\"\"http://evil.example\"\")\"\r\n\
         2,\"Ada \"\"the Countess\"\"\"\r\n\
         1,\"King, Ada\"\r\n"
    );
}

async fn an_empty_export_is_its_header(app: TestApp) {
    let (status, _, _, body) = export(&app, "/people.csv").await;
    assert_eq!((status, body.as_str()), (Status::Ok, "id,name\r\n"));
    app.insert_people(&["Ada"]).await;
    let (_, _, _, body) = export(&app, "/people.csv?q=zzz").await;
    assert_eq!(body, "id,name\r\n");
}

async fn a_bad_search_is_a_400_page(app: TestApp) {
    let long = "x".repeat(101);
    let page = app.get(&format!("/people.csv?q={long}")).await;
    page.assert_html(Status::BadRequest)
        .assert_contains("Search for at most 100 characters.");
}

async fn the_list_links_its_export_for_the_current_search_and_sort(app: TestApp) {
    app.insert_people(&["Ada", "Bea"]).await;
    app.get("/people?q=a&sort=newest&per_page=1")
        .await
        .assert_contains(r#"<a href="/people.csv?q=a&#38;sort=newest">Download CSV</a>"#);
    app.get("/people")
        .await
        .assert_contains(r#"<a href="/people.csv">Download CSV</a>"#);
}
