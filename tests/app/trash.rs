//! The trash (issue 14): delete, Undo, the trash page, restore, delete forever, a trashed
//! name reused and the 409 that offers another, the purge, concurrent restores, the API's
//! trash routes, and forged requests on every new form.

use rocket::futures::future::join_all;
use rocket::http::{Method, Status};
use rocket_db_pools::{Database, Pool};
use serde_json::json;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

use people_test_harness::{Page, TestApp, backend_tests, encode_form, hidden_value};

backend_tests!(
    delete_moves_to_the_trash_with_an_undo_that_restores_at_once,
    the_trash_page_lists_newest_first_with_restore_and_delete_forever,
    the_list_says_how_many_are_in_the_trash_and_links_to_it,
    restore_puts_the_person_back_with_the_same_id_and_the_next_version,
    a_trashed_persons_page_is_410_with_a_restore_button,
    delete_forever_asks_first_then_removes_them_and_their_history,
    a_trashed_name_is_free_and_restoring_it_then_offers_another_name,
    trashed_people_are_not_listed_searched_counted_or_exported,
    the_purge_deletes_entries_older_than_the_cutoff_with_their_history,
    concurrent_purges_never_fail,
    the_purge_runs_at_launch_with_trash_days,
    concurrent_restores_of_one_person_give_one_success_and_clear_refusals,
    the_api_deletes_to_the_trash_lists_restores_and_deletes_forever,
    the_api_refuses_what_it_cannot_honour,
    every_new_form_refuses_forged_and_cross_site_requests,
);

fn now() -> PrimitiveDateTime {
    let now = OffsetDateTime::now_utc();
    PrimitiveDateTime::new(now.date(), now.time())
}

async fn connection(app: &TestApp) -> people::db::DbConn {
    let db = people::db::Db::fetch(app.client.rocket()).expect("the app has a pool");
    db.get().await.expect("a connection")
}

async fn delete(app: &TestApp, id: i32) -> Page {
    app.post_form(&format!("/people/{id}"), &[("_method", "delete")])
        .await
}

/// The ids an Undo form on `page` sends.
fn undo_ids(page: &Page) -> Vec<String> {
    let form = page
        .body
        .split(r#"action="/people/trash/restore""#)
        .nth(1)
        .and_then(|rest| rest.split("</form>").next())
        .unwrap_or_else(|| panic!("an Undo form in {}", page.body));
    form.split(r#"name="id" value=""#)
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(id, _)| id.to_owned()))
        .collect()
}

async fn undo(app: &TestApp, ids: &[String]) -> Page {
    let fields: Vec<(&str, &str)> = ids.iter().map(|id| ("id", id.as_str())).collect();
    app.post_form("/people/trash/restore", &fields).await
}

async fn delete_moves_to_the_trash_with_an_undo_that_restores_at_once(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    app.create_person("Grace Hopper").await;
    delete(&app, ada).await.assert_redirect("/people");
    let list = app.get("/people").await;
    list.assert_contains("<p>Deleted Ada Lovelace.</p>")
        .assert_contains(r#"<button type="submit" class="button">Undo</button>"#)
        .assert_contains(&format!(
            r#"<input type="hidden" name="csrf_token" value="{}">"#,
            app.csrf_token().await
        ));
    assert_eq!(list.names(), ["Grace Hopper"]);
    assert_eq!(undo_ids(&list), [ada.to_string()]);

    undo(&app, &undo_ids(&list))
        .await
        .assert_redirect(&format!("/people/{ada}"));
    app.get(&format!("/people/{ada}"))
        .await
        .assert_html(Status::Ok)
        .assert_contains("<h1>Ada Lovelace</h1>")
        .assert_contains("Restored Ada Lovelace");
    assert_eq!(app.listed_names().await, ["Ada Lovelace", "Grace Hopper"]);
    // The Undo is spent: a second one says they are back already.
    undo(&app, &[ada.to_string()])
        .await
        .assert_html(Status::Conflict)
        .assert_contains("Ada Lovelace is not in the trash: they were restored already.");
}

async fn the_trash_page_lists_newest_first_with_restore_and_delete_forever(app: TestApp) {
    app.get("/people/trash")
        .await
        .assert_html(Status::Ok)
        .assert_contains("<h1>Trash</h1>")
        .assert_contains("The trash is empty.")
        .assert_contains("stay here for 30 days");
    let ada = app.create_person("Ada Lovelace").await;
    let grace = app.create_person("Grace Hopper").await;
    delete(&app, ada).await;
    delete(&app, grace).await;
    let trash = app.get("/people/trash").await;
    trash
        .assert_html(Status::Ok)
        .assert_contains(&format!(r#"action="/people/{grace}/restore""#))
        .assert_contains(&format!(r#"href="/people/trash/{ada}/delete""#))
        .assert_contains("Restore<span class=\"visually-hidden\"> Ada Lovelace</span>")
        .assert_contains("deleted <time datetime=\"");
    let (first, second) = (
        trash.body.find("Grace Hopper").unwrap(),
        trash.body.find("Ada Lovelace").unwrap(),
    );
    assert!(first < second, "newest first");
    app.get("/people/trash?page=0")
        .await
        .assert_html(Status::BadRequest);
}

async fn the_list_says_how_many_are_in_the_trash_and_links_to_it(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    app.get("/people").await.assert_lacks("in the trash");
    delete(&app, ada).await;
    app.get("/people").await.assert_contains(
        r#"<p class="list-trash"><a href="/people/trash">Trash</a>: 1 person in the trash</p>"#,
    );
}

async fn restore_puts_the_person_back_with_the_same_id_and_the_next_version(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    app.put_person(ada, "Ada King").await;
    delete(&app, ada).await;
    app.post_form(&format!("/people/{ada}/restore"), &[])
        .await
        .assert_redirect(&format!("/people/{ada}"));
    app.get(&format!("/people/{ada}"))
        .await
        .assert_contains("<h1>Ada King</h1>")
        .assert_contains("Restored Ada King");
    let read = app.api_get(&format!("/api/people/{ada}")).await;
    assert_eq!(
        read.assert_json(Status::Ok),
        &json!({"id": ada, "name": "Ada King", "version": 3})
    );
}

async fn a_trashed_persons_page_is_410_with_a_restore_button(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    delete(&app, ada).await;
    app.get(&format!("/people/{ada}"))
        .await
        .assert_html(Status::Gone)
        .assert_contains("<h1>Ada Lovelace is in the trash</h1>")
        .assert_contains(&format!(
            r#"<form method="post" action="/people/{ada}/restore">"#
        ))
        .assert_contains("Restore Ada Lovelace</button>");
    app.get(&format!("/people/{ada}/edit"))
        .await
        .assert_html(Status::NotFound);
    let read = app.api_get(&format!("/api/people/{ada}")).await;
    let body = read.assert_json(Status::Gone);
    assert_eq!(body["error"], "gone");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains(&format!("POST /api/people/{ada}/restore")),
        "{body}"
    );
}

async fn delete_forever_asks_first_then_removes_them_and_their_history(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    delete(&app, ada).await;
    let confirm = app.get(&format!("/people/trash/{ada}/delete")).await;
    confirm
        .assert_html(Status::Ok)
        .assert_contains("<h1>Delete Ada Lovelace forever?</h1>")
        .assert_contains(&format!(
            r#"<form method="post" action="/people/trash/{ada}">"#
        ))
        .assert_contains(r#"<input type="hidden" name="_method" value="delete">"#);
    app.post_form(&format!("/people/trash/{ada}"), &[("_method", "delete")])
        .await
        .assert_redirect("/people/trash");
    app.get("/people/trash")
        .await
        .assert_contains("Deleted Ada Lovelace forever")
        .assert_contains("The trash is empty.");
    app.get(&format!("/people/{ada}"))
        .await
        .assert_html(Status::NotFound);
    app.api_get(&format!("/api/people/{ada}/history"))
        .await
        .assert_json(Status::NotFound);
    app.post_form(&format!("/people/{ada}/restore"), &[])
        .await
        .assert_html(Status::NotFound);
    app.get(&format!("/people/trash/{ada}/delete"))
        .await
        .assert_html(Status::NotFound);
}

async fn a_trashed_name_is_free_and_restoring_it_then_offers_another_name(app: TestApp) {
    let old = app.create_person("Ada Lovelace").await;
    delete(&app, old).await;
    let new = app.create_person("Ada Lovelace").await;
    assert_ne!(old, new);

    let conflict = app.post_form(&format!("/people/{old}/restore"), &[]).await;
    conflict
        .assert_html(Status::Conflict)
        .assert_contains("<h1>Restore Ada Lovelace under another name</h1>")
        .assert_contains("Someone else is called Ada Lovelace now. Choose another name.")
        .assert_contains(&format!(r#"action="/people/{old}/restore-as""#))
        .assert_contains(r#"aria-invalid="true""#);
    let restore_as = |name: &'static str| {
        let app = &app;
        async move {
            app.post_form(
                &format!("/people/{old}/restore-as"),
                &[("version", "1"), ("name", name)],
            )
            .await
        }
    };
    restore_as("   ")
        .await
        .assert_html(Status::UnprocessableEntity)
        .assert_contains("Enter a name.");
    restore_as("ada  LOVELACE")
        .await
        .assert_html(Status::Conflict)
        .assert_contains("is already taken.");
    restore_as("Ada Byron")
        .await
        .assert_redirect(&format!("/people/{old}"));
    assert_eq!(app.listed_names().await, ["Ada Byron", "Ada Lovelace"]);
    app.get(&format!("/people/{old}"))
        .await
        .assert_contains("Restored as Ada Byron (deleted as Ada Lovelace)");
}

async fn trashed_people_are_not_listed_searched_counted_or_exported(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    app.create_person("Grace Hopper").await;
    delete(&app, ada).await;
    let search = app.get("/people?q=ada").await;
    search.assert_contains("Nobody matches");
    app.get("/people").await.assert_contains("1 person</p>");
    assert_eq!(app.api_get("/api/people").await.names(), ["Grace Hopper"]);
    let csv = app.get("/people.csv").await;
    assert!(!csv.body.contains("Ada"), "{}", csv.body);
}

async fn the_purge_deletes_entries_older_than_the_cutoff_with_their_history(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    let grace = app.create_person("Grace Hopper").await;
    delete(&app, ada).await;
    delete(&app, grace).await;
    let mut conn = connection(&app).await;
    let purged = people::models::Person::purge_trash(&mut conn, now() - Duration::days(1))
        .await
        .unwrap();
    assert_eq!(purged, 0, "deleted just now: younger than a day");
    let purged = people::models::Person::purge_trash(&mut conn, now() + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(purged, 2);
    app.get("/people/trash")
        .await
        .assert_contains("The trash is empty.");
    app.api_get(&format!("/api/people/{ada}/history"))
        .await
        .assert_json(Status::NotFound);
}

async fn concurrent_purges_never_fail(app: TestApp) {
    let names: Vec<String> = (0..40).map(|i| format!("Person {i:02}")).collect();
    app.insert_people(&names).await;
    let ids: Vec<i32> = app.api_get("/api/people?per_page=100").await.json["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap() as i32)
        .collect();
    let mut conn = connection(&app).await;
    people::models::Person::trash(&mut conn, &ids)
        .await
        .unwrap();
    let cutoff = now() + Duration::minutes(1);
    let purges = join_all((0..4).map(|_| {
        let app = &app;
        async move {
            let mut conn = connection(app).await;
            people::models::Person::purge_trash(&mut conn, cutoff).await
        }
    }))
    .await;
    let total: usize = purges
        .into_iter()
        .map(|purged| purged.expect("no purge fails"))
        .sum();
    assert_eq!(total, 40, "each entry purged once");
}

async fn the_purge_runs_at_launch_with_trash_days(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    delete(&app, ada).await;
    let app = app.restart().await;
    app.get("/people/trash")
        .await
        .assert_contains("Ada Lovelace");
    // With trash_days = 0 everything in the trash is past its time: the purge at launch
    // empties it, with no request asking.
    let app = app
        .reconfigure(|figment| figment.merge(("trash_days", 0)))
        .await;
    app.get("/people/trash")
        .await
        .assert_contains("The trash is empty.")
        .assert_contains("stay here for 0 days");
}

async fn concurrent_restores_of_one_person_give_one_success_and_clear_refusals(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    for round in 0..2 {
        delete(&app, ada).await;
        let uri = format!("/api/people/{ada}/restore");
        let answers = join_all((0..8).map(|_| app.api(Method::Post, &uri, None, None))).await;
        let statuses: Vec<Status> = answers.iter().map(|a| a.status).collect();
        let ok = statuses.iter().filter(|s| **s == Status::Ok).count();
        assert_eq!(ok, 1, "round {round}: {statuses:?}");
        assert!(
            statuses
                .iter()
                .all(|s| [Status::Ok, Status::Conflict, Status::NotFound].contains(s)),
            "{statuses:?}"
        );
    }
    // The same through the pages' form.
    delete(&app, ada).await;
    let uri = format!("/people/{ada}/restore");
    let pages = join_all((0..8).map(|_| app.post_form(&uri, &[]))).await;
    let statuses: Vec<Status> = pages.iter().map(|p| p.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == Status::SeeOther).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| [Status::SeeOther, Status::Conflict, Status::NotFound].contains(s)),
        "{statuses:?}"
    );
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn the_api_deletes_to_the_trash_lists_restores_and_deletes_forever(app: TestApp) {
    let ada = app.api_post(&json!({"name": "Ada Lovelace"})).await.json["id"]
        .as_i64()
        .unwrap();
    let grace = app.api_post(&json!({"name": "Grace Hopper"})).await.json["id"]
        .as_i64()
        .unwrap();
    let delete = |id: i64| {
        let app = &app;
        async move {
            app.api(Method::Delete, &format!("/api/people/{id}"), None, None)
                .await
        }
    };
    assert_eq!(delete(ada).await.status, Status::NoContent);
    assert_eq!(delete(grace).await.status, Status::NoContent);
    assert_eq!(delete(grace).await.status, Status::NotFound);
    let trash = app.api_get("/api/people/trash").await;
    let body = trash.assert_json(Status::Ok);
    let names: Vec<&str> = body["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Grace Hopper", "Ada Lovelace"], "newest first");
    assert_eq!(body["people"][1]["version"], 1);
    assert_eq!(
        body["people"][1]["restore"],
        format!("/api/people/{ada}/restore")
    );
    assert!(
        body["people"][1]["deleted_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert_eq!(body["next"], serde_json::Value::Null);

    let restored = app
        .api(
            Method::Post,
            &format!("/api/people/{ada}/restore"),
            None,
            None,
        )
        .await;
    assert_eq!(
        restored.assert_json(Status::Ok),
        &json!({"id": ada, "name": "Ada Lovelace", "version": 2})
    );
    let forever = app
        .api(
            Method::Delete,
            &format!("/api/people/trash/{grace}"),
            None,
            None,
        )
        .await;
    assert_eq!(forever.status, Status::NoContent);
    assert_eq!(
        app.api(
            Method::Delete,
            &format!("/api/people/trash/{grace}"),
            None,
            None
        )
        .await
        .status,
        Status::NotFound
    );
    let trash = app.api_get("/api/people/trash").await;
    assert_eq!(trash.assert_json(Status::Ok)["people"], json!([]));

    // A name taken meanwhile: 409, nothing restored.
    assert_eq!(delete(ada).await.status, Status::NoContent);
    app.api_post(&json!({"name": "Ada Lovelace"})).await;
    let taken = app
        .api(
            Method::Post,
            &format!("/api/people/{ada}/restore"),
            None,
            None,
        )
        .await;
    let body = taken.assert_json(Status::Conflict);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Someone else is called Ada Lovelace"),
        "{body}"
    );
    assert_eq!(
        app.api_get("/api/people/trash").await.json["people"][0]["id"],
        ada
    );
}

async fn the_api_refuses_what_it_cannot_honour(app: TestApp) {
    // Twice is refused too, not read as "no page" (schemathesis sent `page=null&page=null`).
    for page in ["0", "-1", "abc", "10001", "2&page=2", "null&page=null"] {
        app.api_get(&format!("/api/people/trash?page={page}"))
            .await
            .assert_json(Status::BadRequest);
    }
    let ada = app.create_person("Ada Lovelace").await;
    delete(&app, ada).await;
    // A form cannot restore or delete forever across sites.
    for (method, uri) in [
        (Method::Post, format!("/api/people/{ada}/restore")),
        (Method::Delete, format!("/api/people/trash/{ada}")),
    ] {
        let answer = app
            .api(
                method,
                &uri,
                Some(rocket::http::ContentType::Form),
                Some("x=1"),
            )
            .await;
        answer.assert_json(Status::UnsupportedMediaType);
    }
    app.api_get("/api/people/12345/history")
        .await
        .assert_json(Status::NotFound);
    let missing = app
        .api(Method::Post, "/api/people/12345/restore", None, None)
        .await;
    missing.assert_json(Status::NotFound);
    let allow = app.api(Method::Put, "/api/people/trash", None, None).await;
    assert_eq!(allow.status, Status::MethodNotAllowed);
}

async fn every_new_form_refuses_forged_and_cross_site_requests(app: TestApp) {
    let ada = app.create_person("Ada Lovelace").await;
    let grace = app.create_person("Grace Hopper").await;
    delete(&app, grace).await;
    let forms: Vec<(String, Vec<(&str, String)>)> = vec![
        (
            "/people".into(),
            vec![("_method", "delete".into()), ("id", ada.to_string())],
        ),
        (
            "/people/trash/restore".into(),
            vec![("id", grace.to_string())],
        ),
        (format!("/people/{grace}/restore"), vec![]),
        (
            format!("/people/{grace}/restore-as"),
            vec![("version", "1".into()), ("name", "Grace B".into())],
        ),
        (
            format!("/people/trash/{grace}"),
            vec![("_method", "delete".into())],
        ),
    ];
    for (uri, fields) in &forms {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let forged = app.post_raw(uri, &encode_form(&fields), &[]).await;
        forged.assert_html(Status::Forbidden);
        let cross = app
            .post_form_with(uri, &fields, &[("Sec-Fetch-Site", "cross-site")])
            .await;
        cross.assert_html(Status::Forbidden);
    }
    assert_eq!(
        app.listed_names().await,
        ["Ada Lovelace"],
        "nothing changed"
    );
    app.get("/people/trash")
        .await
        .assert_contains("Grace Hopper");
    // And the genuine forms carry the token.
    let token = app.csrf_token().await;
    for uri in ["/people", "/people/trash"] {
        assert_eq!(
            hidden_value(&app.get(uri).await.body, "csrf_token"),
            token,
            "{uri}"
        );
    }
}
