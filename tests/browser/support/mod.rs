//! The browser harness: for each test, the real `people` binary on a fresh SQLite file and a
//! headless Chromium of its own, driven over WebDriver by fantoccini. What a test does with
//! the page lives beside this, one file a job.

mod accessibility;
mod devtools;
mod elements;
mod launch;
mod navigation;
mod screen;
mod tools;

use fantoccini::Client;
use people_test_harness::{AppProcess, Process};
use serde_json::json;
use tempfile::TempDir;

pub use self::devtools::{Scheme, downloaded};
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

pub struct Browser {
    pub client: Client,
    // Dropped in this order: the driver (and Chromium with it), the app, then their files.
    _driver: Process,
    server: AppProcess,
    _dir: TempDir,
}

impl Browser {
    pub async fn start(test: &str) -> Option<Self> {
        let tools = Tools::find(test)?;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let server = launch::start_app(dir.path());
        let (driver, driver_port) = launch::start_chromedriver(&tools).await;
        let client =
            launch::connect(driver_port, &tools.chromium, &dir.path().join("profile")).await;
        let browser = Self {
            client,
            _driver: driver,
            server,
            _dir: dir,
        };
        browser.set_viewport(DESKTOP).await;
        Some(browser)
    }

    /// A folder of this test's own, removed with it.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Ends the WebDriver session politely; dropping `self` then stops the processes.
    pub async fn finish(self) {
        let _ = self.client.clone().close().await;
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// Adds people through the JSON API, from the test rather than the page: the pages' CSP
    /// (`default-src 'none'`) rightly forbids them any `fetch`. The app is another process,
    /// so waiting for it here blocks nothing it needs.
    pub async fn seed(&self, names: &[&str]) {
        for name in names {
            let body = json!({ "name": name }).to_string();
            let response = self
                .server
                .request(
                    "POST",
                    "/api/people",
                    &[("Content-Type", "application/json")],
                    Some(&body),
                )
                .unwrap_or_else(|e| panic!("seeding {name}: {e}"));
            assert_eq!(response.status, 201, "seeding {name}: {}", response.body);
        }
    }
}
