//! TLS to PostgreSQL with libpq's sslmode meanings, against a server of the test's own that
//! accepts TCP clients only over TLS, with a certificate for `localhost` from a CA of our own.

use people::build;
use rocket::http::Status;
use rocket::local::asynchronous::Client;

use people_test_harness::{TestApp, TestDatabase, figment};

use crate::cluster::PgCluster;

#[rocket::async_test]
async fn tls_connections_are_encrypted_and_verified() {
    let test = "production::tls::tls_connections_are_encrypted_and_verified";
    let Some((cluster, Some(certs))) = PgCluster::start(test, true) else {
        return;
    };
    cluster.create_database("people");
    let ca = certs.ca.display().to_string();
    let port = cluster.port;
    for url in [
        // Encrypted, certificate not checked (libpq's meaning of require).
        format!("postgres://postgres@127.0.0.1:{port}/people?sslmode=require"),
        // Chain checked against our CA, host name not (the certificate says localhost).
        format!("postgres://postgres@127.0.0.1:{port}/people?sslmode=verify-ca&sslrootcert={ca}"),
        // Chain and host name checked, as a managed service should be reached.
        format!("postgres://postgres@localhost:{port}/people?sslmode=verify-full&sslrootcert={ca}"),
    ] {
        let app = TestApp::launch(TestDatabase::Url(url.clone())).await;
        let name = format!(
            "Reached with {}",
            url.split("sslmode=").nth(1).unwrap_or_default()
        );
        let name: String = name.chars().take(80).collect();
        let id = app.create_person(&name).await;
        app.get(&format!("/people/{id}"))
            .await
            .assert_html(Status::Ok);
        let (encrypted, total) = app_connections(&cluster);
        assert!(total > 0, "{url}: the app holds connections");
        assert_eq!(encrypted, total, "{url}: every connection uses TLS");
    }
}

#[rocket::async_test]
async fn tls_misconfigurations_refuse_to_launch_with_the_reason() {
    let test = "production::tls::tls_misconfigurations_refuse_to_launch_with_the_reason";
    let Some((cluster, Some(certs))) = PgCluster::start(test, true) else {
        return;
    };
    cluster.create_database("people");
    let ca = certs.ca.display().to_string();
    let port = cluster.port;
    for url in [
        // The certificate names localhost, not 127.0.0.1.
        format!("postgres://postgres@127.0.0.1:{port}/people?sslmode=verify-full&sslrootcert={ca}"),
        // Our CA is not among the built-in public roots.
        format!("postgres://postgres@localhost:{port}/people?sslmode=verify-full"),
        // The server refuses unencrypted TCP clients.
        format!("postgres://postgres@127.0.0.1:{port}/people?sslmode=disable"),
    ] {
        let error = match Client::tracked(build(figment(&url))).await {
            Ok(_) => panic!("{url} should not launch"),
            Err(error) => error.to_string(),
        };
        assert!(error.contains("fairing"), "{url}: {error}");
    }
    assert_eq!(
        cluster.psql(
            "people",
            "SELECT count(*) FROM pg_tables WHERE tablename = 'person'"
        ),
        "0"
    );
}

/// (encrypted, all) connections of the app's database, as the server sees them.
fn app_connections(cluster: &PgCluster) -> (u32, u32) {
    let counts = cluster.psql(
        "postgres",
        "SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a \
         JOIN pg_stat_ssl s USING (pid) WHERE a.datname = 'people' AND a.client_addr IS NOT NULL",
    );
    let mut numbers = counts.split('|').map(|n| n.trim().parse().unwrap_or(0));
    (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0))
}
