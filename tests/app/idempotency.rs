//! Safe retries: `Idempotency-Key` on `POST /api/people`, and the add form's one-time key,
//! which are the same mechanism (the person keeps the key that created it, with the name
//! asked for and the time, under a unique index).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rocket::futures::future::join_all;
use rocket::http::Status;
use serde_json::json;

use people::models::{Created, KeyLifetime, OneTimeKey};
use people_test_harness::{TestApp, backend_tests, figment};

backend_tests!(
    the_same_key_and_body_answer_the_first_answer_and_create_once,
    a_replay_answers_as_the_first_time_even_after_an_update,
    the_same_key_with_another_body_is_a_422_that_says_why,
    sixteen_requests_with_one_key_at_once_create_one_person,
    keys_are_kept_for_their_lifetime_and_forgotten_after_it,
    expired_keys_are_cleaned_up_by_later_creates,
    the_lifetime_is_a_setting,
    a_deleted_person_frees_its_key,
    a_request_without_a_key_is_not_deduplicated,
    unusable_keys_are_400s_and_change_nothing,
    a_form_sent_again_with_another_name_asks_again,
);

const KEY: &str = "8e03978e-40d5-43e8-bc93-6894a57f9324";

async fn the_same_key_and_body_answer_the_first_answer_and_create_once(app: TestApp) {
    let body = json!({"name": "Ada Lovelace"});
    let first = app.api_post_with_key(&body, KEY).await;
    first.assert_json(Status::Created);
    for _ in 0..3 {
        let again = app.api_post_with_key(&body, KEY).await;
        assert_eq!(again.assert_json(Status::Created), &first.json);
        assert_eq!(again.location, first.location);
        assert_eq!(again.etag, first.etag);
    }
    // Spacing the name parses away is the same request.
    let respaced = app
        .api_post_with_key(&json!({"name": " Ada  Lovelace "}), KEY)
        .await;
    assert_eq!(respaced.assert_json(Status::Created), &first.json);
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn a_replay_answers_as_the_first_time_even_after_an_update(app: TestApp) {
    let first = app
        .api_post_with_key(&json!({"name": "Ada Lovelace"}), KEY)
        .await;
    let id = first.assert_json(Status::Created)["id"]
        .as_i64()
        .expect("an id");
    let id = i32::try_from(id).expect("an i32 id");
    app.api_save(id, "Ada King", 1)
        .await
        .assert_json(Status::Ok);

    let again = app
        .api_post_with_key(&json!({"name": "Ada Lovelace"}), KEY)
        .await;
    assert_eq!(
        again.assert_json(Status::Created),
        &json!({"id": id, "name": "Ada Lovelace", "version": 1})
    );
    assert_eq!(again.etag.as_deref(), Some("\"1\""));
    assert_eq!(app.listed_names().await, ["Ada King"]);
}

async fn the_same_key_with_another_body_is_a_422_that_says_why(app: TestApp) {
    let first = app
        .api_post_with_key(&json!({"name": "Ada Lovelace"}), KEY)
        .await;
    let id = first.assert_json(Status::Created)["id"].clone();
    let other = app
        .api_post_with_key(&json!({"name": "Grace Hopper"}), KEY)
        .await;
    let message = format!(
        "This key was already used for another request, which added the person at \
         /api/people/{id}. Send each new request with a new key."
    );
    assert_eq!(
        other.assert_json(Status::UnprocessableEntity),
        &json!({"errors": {"Idempotency-Key": [message]}})
    );
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

async fn sixteen_requests_with_one_key_at_once_create_one_person(app: TestApp) {
    let body = json!({"name": "Ada Lovelace"});
    let app = &app;
    let body = &body;
    let responses = join_all((0..16).map(|_| app.api_post_with_key(body, KEY))).await;
    let first = &responses[0];
    for response in &responses {
        assert_eq!(response.assert_json(Status::Created), &first.json);
        assert_eq!(response.location, first.location);
    }
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
}

fn now() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970");
    i64::try_from(since.as_secs()).expect("seconds fit in i64")
}

const HOUR: i64 = 3600;

fn day() -> Duration {
    KeyLifetime::default().0
}

async fn keys_are_kept_for_their_lifetime_and_forgotten_after_it(app: TestApp) {
    let now = now();
    let kept = app
        .create_keyed(
            "Ada Lovelace",
            OneTimeKey::used_at("kept", now - 23 * HOUR, day()),
        )
        .await;
    let Created::New(ada) = kept else {
        panic!("created: {kept:?}")
    };
    let again = app
        .create_keyed("Ada Lovelace", OneTimeKey::used_at("kept", now, day()))
        .await;
    assert_eq!(again, Created::Again(ada));

    app.create_keyed(
        "Grace Hopper",
        OneTimeKey::used_at("old", now - 25 * HOUR, day()),
    )
    .await;
    // 25 hours on, the key is free: the same request is a new one (the name is taken now)...
    let later = app
        .create_keyed("Grace Hopper", OneTimeKey::used_at("old", now, day()))
        .await;
    assert_eq!(later, Created::Taken);
    // ...and the key can add someone else.
    let reused = app
        .create_keyed("Alan Turing", OneTimeKey::used_at("old", now, day()))
        .await;
    assert!(matches!(reused, Created::New(_)), "{reused:?}");
    assert_eq!(
        app.listed_names().await,
        ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    );
}

async fn expired_keys_are_cleaned_up_by_later_creates(app: TestApp) {
    let now = now();
    // Each keyed create forgets what is expired at its own time: Dan's first, so that it
    // cannot clear the older ones.
    app.create_keyed("Dan", OneTimeKey::used_at("d", now - 2 * HOUR, day()))
        .await;
    for (name, key) in [("Ada", "a"), ("Bea", "b"), ("Cy", "c")] {
        app.create_keyed(name, OneTimeKey::used_at(key, now - 30 * HOUR, day()))
            .await;
    }
    // Any keyed create forgets the expired keys, without a job to run.
    app.api_post_with_key(&json!({"name": "Eve"}), KEY)
        .await
        .assert_json(Status::Created);
    assert_eq!(app.forget_keys(now - 24 * HOUR).await, 0);
    // Dan's and Eve's are still there.
    assert_eq!(app.forget_keys(now + HOUR).await, 2);
}

async fn the_lifetime_is_a_setting(app: TestApp) {
    let TestApp { client, db } = app;
    drop(client);
    let figment = figment(&db.url()).merge(("idempotency_key_hours", 0));
    let app = TestApp::launch_with(db, figment).await;
    let body = json!({"name": "Ada Lovelace"});
    app.api_post_with_key(&body, KEY)
        .await
        .assert_json(Status::Created);
    // Kept for no time at all: sent again, it is a new request, and the name is taken.
    let again = app.api_post_with_key(&body, KEY).await;
    assert_eq!(
        again.assert_json(Status::UnprocessableEntity),
        &json!({"errors": {"name": ["Ada Lovelace is already taken."]}})
    );
}

async fn a_deleted_person_frees_its_key(app: TestApp) {
    let first = app
        .api_post_with_key(&json!({"name": "Ada Lovelace"}), KEY)
        .await;
    let location = first.location.clone().expect("a location");
    app.api(rocket::http::Method::Delete, &location, None, None)
        .await;
    let other = app
        .api_post_with_key(&json!({"name": "Grace Hopper"}), KEY)
        .await;
    other.assert_json(Status::Created);
    assert_eq!(app.listed_names().await, ["Grace Hopper"]);
}

async fn a_request_without_a_key_is_not_deduplicated(app: TestApp) {
    let body = json!({"name": "Ada Lovelace"});
    app.api_post(&body).await.assert_json(Status::Created);
    app.api_post(&body)
        .await
        .assert_json(Status::UnprocessableEntity);
    // Keys belong to the request that sent them, not to the name.
    app.api_post_with_key(&body, KEY)
        .await
        .assert_json(Status::UnprocessableEntity);
}

async fn unusable_keys_are_400s_and_change_nothing(app: TestApp) {
    let long = "k".repeat(256);
    for key in ["", long.as_str(), "clé", "tab\there"] {
        let response = app
            .api_post_with_key(&json!({"name": "Ada Lovelace"}), key)
            .await;
        assert_eq!(
            response.assert_json(Status::BadRequest),
            &json!({"error": "bad request", "message": "Idempotency-Key must be 1 to 255 printable ASCII characters, such as a UUID."}),
            "{key:?}"
        );
    }
    assert!(app.listed_names().await.is_empty());
}

async fn a_form_sent_again_with_another_name_asks_again(app: TestApp) {
    let key = app.creation_key().await;
    app.post_form(
        "/people",
        &[("name", "Ada Lovelace"), ("creation_key", &key)],
    )
    .await;
    // Back to the form (the browser keeps its key), another name, Save.
    let page = app
        .post_form(
            "/people",
            &[("name", "Grace Hopper"), ("creation_key", &key)],
        )
        .await;
    page.assert_html(Status::UnprocessableEntity);
    page.assert_contains(
        "This form already added Ada Lovelace. To add Grace Hopper as well, save again.",
    );
    assert_eq!(app.listed_names().await, ["Ada Lovelace"]);
    let fresh = people_test_harness::hidden_value(&page.body, "creation_key");
    assert_ne!(fresh, key);
    let saved = app
        .post_form(
            "/people",
            &[("name", "Grace Hopper"), ("creation_key", &fresh)],
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(app.listed_names().await, ["Ada Lovelace", "Grace Hopper"]);
}
