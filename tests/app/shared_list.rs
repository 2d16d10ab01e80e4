//! Requests for the same list at the same moment share one read of it (`db::SharedReads`),
//! and sharing never shows anyone a list older than their request: a request joins only a
//! read that has not started, so a write another instance finished before the request was
//! sent is on the page, however busy the list is.

use std::sync::atomic::{AtomicBool, Ordering};

use rocket::futures::future::{join, join_all};
use rocket::http::Status;

use people_test_harness::{TestApp, TestDatabase, backend_tests};

backend_tests!(
    a_busy_list_never_shows_a_page_read_before_the_request,
    many_requests_for_one_list_at_once_each_get_all_of_it,
);

/// Another instance writes while this one serves the list without a pause; each check's
/// requests, sent after the write was answered, must all see it. A list kept for a moment
/// and served again (a cache) fails this; that a request never joins a read already running
/// is shown exactly, with a read held open, by `db::shared_reads`' own tests.
async fn a_busy_list_never_shows_a_page_read_before_the_request(app: TestApp) {
    let other = TestApp::launch(TestDatabase::Url(app.db.url())).await;
    app.insert_people(&["Ada Lovelace", "Grace Hopper"]).await;
    let done = AtomicBool::new(false);
    let busy = async {
        let mut served = 0;
        while !done.load(Ordering::SeqCst) {
            app.get("/people").await.assert_html(Status::Ok);
            served += 1;
        }
        served
    };
    let checks = async {
        for n in 0..12 {
            let name = format!("Person {n:02}");
            other.create_person(&name).await;
            let pages = join_all((0..6).map(|_| app.get("/people"))).await;
            for page in pages {
                page.assert_html(Status::Ok);
                assert!(
                    page.body.contains(&format!(">{name}</a>")),
                    "{name}, created before this request, is missing: {}",
                    page.body
                );
                assert!(page.body.contains(&format!("{} people", n + 3)));
            }
        }
        done.store(true, Ordering::SeqCst);
    };
    let (served, ()) = join(busy, checks).await;
    assert!(served > 0, "the list was read alongside the checks");
}

/// Sixty-four requests for the first page at once: every one gets the whole page, rows,
/// count and its form's token, as a request alone would.
async fn many_requests_for_one_list_at_once_each_get_all_of_it(app: TestApp) {
    let names: Vec<String> = (0..60).map(|i| format!("Person {i:02}")).collect();
    app.insert_people(&names).await;
    let alone = app.get("/people").await;
    alone.assert_html(Status::Ok);
    let pages = join_all((0..64).map(|_| app.get("/people"))).await;
    for page in pages {
        page.assert_html(Status::Ok);
        assert_eq!(page.body, alone.body);
    }
    assert!(alone.body.contains("60 people"));
    assert_eq!(alone.body.matches(r#"class="person-name""#).count(), 50);
    assert!(alone.body.contains(r#"name="csrf_token" value=""#));
}
