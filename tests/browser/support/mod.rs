//! The browser harness: for each test, the real `people` binary on a fresh SQLite file and a
//! headless Chromium of its own, driven over WebDriver by fantoccini.

mod process;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tempfile::TempDir;

use self::process::{Process, free_port};
use self::tools::Tools;

/// Generates one `#[test]` per named `async fn(&Browser)` in the calling module, skipped (with
/// a note) when chromedriver or Chromium is missing. A panicking test drops its `Browser`,
/// which stops Chromium and the app all the same.
#[macro_export]
macro_rules! browser_tests {
    ($($name:ident),+ $(,)?) => {
        mod chromium {
            $(
                #[rocket::async_test]
                async fn $name() {
                    let test = concat!(module_path!(), "::", stringify!($name));
                    if let Some(browser) = $crate::support::Browser::start(test).await {
                        super::$name(&browser).await;
                        browser.finish().await;
                    }
                }
            )+
        }
    };
}

pub const DESKTOP: (u32, u32) = (1280, 800);
pub const PHONE: (u32, u32) = (390, 844);

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

const AXE: &str = include_str!("../vendor/axe.min.js");

pub struct Browser {
    pub client: Client,
    base: String,
    // Dropped in this order: the driver (and Chromium with it), the app, then their files.
    _driver: Process,
    server: Process,
    _dir: TempDir,
}

impl Browser {
    pub async fn start(test: &str) -> Option<Self> {
        let tools = Tools::find(test)?;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let server = start_app(dir.path()).await;
        let base = format!("http://127.0.0.1:{}", server.1);
        let (driver, driver_port) = start_chromedriver(&tools, dir.path()).await;
        let client = connect(driver_port, &tools.chromium, &dir.path().join("profile")).await;
        let browser = Self {
            client,
            base,
            _driver: driver,
            server: server.0,
            _dir: dir,
        };
        browser.set_viewport(DESKTOP).await;
        Some(browser)
    }

    /// Ends the WebDriver session politely; dropping `self` then stops the processes.
    pub async fn finish(self) {
        let _ = self.client.clone().close().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&self.url(path))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// The current address without the origin: `/people?q=ada`.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("the current URL");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// The element, once it is on the page.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.wait().for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!(
                "no {css} on {}: {e}\n{}",
                self.path().await,
                self.body_text().await
            ),
        }
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("element text")
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css)
            .await
            .attr(name)
            .await
            .unwrap_or_else(|e| panic!("attribute {name} of {css}: {e}"))
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Clicks a link or button that loads another page, and waits until that page has loaded.
    pub async fn follow(&self, css: &str) {
        let before = self.path().await;
        self.click(css).await;
        self.wait_for_load_from(&before).await;
    }

    /// Presses keys that load another page (Enter on a link or in a form), and waits for it.
    pub async fn press_and_load(&self, keys: &str) {
        let before = self.path().await;
        self.press(keys).await;
        self.wait_for_load_from(&before).await;
    }

    /// Waits until the address is no longer `before` and the new page has loaded. A form
    /// refused with 422 comes back at the same address, so those tests wait for what the
    /// page shows instead.
    async fn wait_for_load_from(&self, before: &str) {
        let started = std::time::Instant::now();
        loop {
            let ready = self.script("return document.readyState;", vec![]).await;
            if ready == json!("complete") && self.path().await != before {
                return;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "still at {before} after following a link:\n{}",
                self.body_text().await
            );
            rocket::tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Replaces the text in a field, as a user typing would.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear the field");
        field.send_keys(text).await.expect("type into the field");
    }

    /// Presses keys on whatever has focus (`fantoccini::key::Key` for Tab, Enter, ...).
    pub async fn press(&self, keys: &str) {
        let focused = self
            .client
            .active_element()
            .await
            .expect("a focused element");
        focused.send_keys(keys).await.expect("press keys");
    }

    /// Waits until the page's heading is `expected`: the way to know a navigation landed.
    pub async fn wait_for_heading(&self, expected: &str) {
        let found = self
            .client
            .wait()
            .for_element(Locator::XPath(&format!(
                "//h1[normalize-space(.)={}]",
                xpath_literal(expected)
            )))
            .await;
        if found.is_err() {
            panic!(
                "expected the heading {expected:?} on {}; the page says:\n{}\nthe app's log:\n{}",
                self.path().await,
                self.body_text().await,
                self.server.log()
            );
        }
    }

    pub async fn body_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(e) => format!("(no body: {e})"),
        }
    }

    /// The names in the list, in order.
    pub async fn names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for link in self.find_all(".person-name").await {
            names.push(link.text().await.expect("a name"));
        }
        names
    }

    pub async fn script(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("run script: {e}\n{script}"))
    }

    /// True when the focused element matches `css`.
    pub async fn focus_is_on(&self, css: &str) -> bool {
        let script = "return document.activeElement !== null && document.activeElement.matches(arguments[0]);";
        self.script(script, vec![json!(css)]).await == json!(true)
    }

    /// Adds people through the JSON API, from the test rather than the page: the pages' CSP
    /// (`default-src 'none'`) rightly forbids them any `fetch`.
    pub async fn seed(&self, names: &[&str]) {
        use rocket::tokio::io::{AsyncReadExt, AsyncWriteExt};
        let authority = self.base.trim_start_matches("http://");
        for name in names {
            let body = json!({ "name": name }).to_string();
            let request = format!(
                "POST /api/people HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let mut stream = rocket::tokio::net::TcpStream::connect(authority)
                .await
                .expect("connect to the app");
            stream
                .write_all(request.as_bytes())
                .await
                .expect("send a person");
            let mut response = String::new();
            stream
                .read_to_string(&mut response)
                .await
                .expect("read the answer");
            assert!(
                response.starts_with("HTTP/1.1 201"),
                "seeding {name}: {response}"
            );
        }
    }

    /// Runs axe-core on the current page and fails with its findings if there are any.
    pub async fn assert_accessible(&self, what: &str) {
        let violations = self.accessibility_violations().await;
        assert!(
            violations.is_empty(),
            "axe found accessibility problems on {what} ({}):\n{}",
            self.path().await,
            serde_json::to_string_pretty(&violations).unwrap_or_default()
        );
    }

    /// What axe-core (every rule it runs by default: WCAG A and AA, and best practices) finds
    /// wrong with the current page.
    pub async fn accessibility_violations(&self) -> Vec<Value> {
        let loaded = self
            .script("return typeof window.axe === 'object';", vec![])
            .await;
        if loaded != json!(true) {
            self.script(AXE, vec![]).await;
        }
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']}).then(
                (results) => done(results.violations.map((v) => ({
                    rule: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary),
                }))),
                (e) => done([{rule: 'axe failed', help: String(e)}]),
            );
        "#;
        let violations = self
            .client
            .execute_async(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("run axe: {e}"));
        violations.as_array().cloned().unwrap_or_default()
    }

    /// Makes the page area (not the window) `width` x `height` CSS pixels.
    pub async fn set_viewport(&self, (width, height): (u32, u32)) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("resize the window");
        // Whatever the window adds around the page (none in headless mode, today), add it.
        let inner = self
            .script("return [window.innerWidth, window.innerHeight];", vec![])
            .await;
        let (inner_w, inner_h) = (
            inner[0].as_u64().unwrap_or(u64::from(width)),
            inner[1].as_u64().unwrap_or(u64::from(height)),
        );
        if (inner_w, inner_h) != (u64::from(width), u64::from(height)) {
            let extra_w = u64::from(width).saturating_sub(inner_w);
            let extra_h = u64::from(height).saturating_sub(inner_h);
            self.client
                .set_window_size(
                    width + u32::try_from(extra_w).unwrap_or(0),
                    height + u32::try_from(extra_h).unwrap_or(0),
                )
                .await
                .expect("resize the window");
        }
    }

    /// Saves what the browser shows as `docs/screenshots/NAME.png`, for the README.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        let path = screenshots_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

fn screenshots_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots")
}

/// The real binary, as a user runs it, on a SQLite file in `dir`.
async fn start_app(dir: &Path) -> (Process, u16) {
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_people"));
    command
        // No Rocket.toml here: the defaults and these variables are the whole configuration.
        .current_dir(dir)
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_PORT", port.to_string())
        .env(
            "ROCKET_DATABASES",
            format!("{{people={{url=\"{}\"}}}}", dir.join("people.db").display()),
        )
        .env("ROCKET_CLI_COLORS", "false")
        .env("ROCKET_LOG_LEVEL", "critical");
    let process = Process::start("people", command, &dir.join("people.log"), port).await;
    (process, port)
}

async fn start_chromedriver(tools: &Tools, dir: &Path) -> (Process, u16) {
    let port = free_port();
    let mut command = Command::new(&tools.chromedriver);
    command.arg(format!("--port={port}"));
    let log = dir.join("chromedriver.log");
    (
        Process::start("chromedriver", command, &log, port).await,
        port,
    )
}

async fn connect(port: u16, chromium: &Path, profile: &Path) -> Client {
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

/// `text` as an XPath string literal, whatever quotes it holds.
fn xpath_literal(text: &str) -> String {
    if !text.contains('"') {
        format!("\"{text}\"")
    } else if !text.contains('\'') {
        format!("'{text}'")
    } else {
        let parts: Vec<String> = text.split('"').map(|part| format!("\"{part}\"")).collect();
        format!("concat({})", parts.join(", '\"', "))
    }
}
