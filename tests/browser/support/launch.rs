//! Starting what a browser test runs against: the app, chromedriver, and a Chromium session.

use std::path::Path;
use std::process::Command;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use people_test_harness::{AppProcess, Process, free_port};
use serde_json::json;

use super::DESKTOP;
use super::tools::Tools;

/// The flags Chromium runs with: headless, and nothing that reaches for the network or
/// leaves state behind (the profile is a fresh temporary directory).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
];

/// The real binary, as a user runs it, on a SQLite file in `dir`, serving.
pub fn start_app(dir: &Path) -> AppProcess {
    let url = format!("sqlite://{}", dir.join("people.db").display());
    let mut app = AppProcess::spawn_in_dir(env!("CARGO_BIN_EXE_people"), dir, &url);
    app.wait_until_healthy();
    app
}

pub async fn start_chromedriver(tools: &Tools) -> (Process, u16) {
    let port = free_port();
    let mut command = Command::new(&tools.chromedriver);
    command.arg(format!("--port={port}"));
    let mut driver = Process::spawn_group("chromedriver", command);
    driver.wait_until_listening(port).await;
    (driver, port)
}

pub async fn connect(port: u16, chromium: &Path, profile: &Path) -> Client {
    let mut args: Vec<String> = CHROMIUM_FLAGS
        .iter()
        .map(|flag| (*flag).to_owned())
        .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.push(format!("--window-size={},{}", DESKTOP.0, DESKTOP.1));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({"binary": chromium, "args": args}),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("start Chromium through chromedriver: {e}"))
}
