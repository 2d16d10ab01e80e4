//! Chrome DevTools commands through chromedriver (`/session/{id}/goog/cdp/execute`), for what
//! WebDriver has no command for: emulating the dark colour scheme, and letting downloads land
//! in a folder of the test's own.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};

use super::Browser;

#[derive(Debug)]
struct DevTools {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

impl Browser {
    async fn devtools(&self, cmd: &'static str, params: Value) {
        self.client
            .issue_cmd(DevTools { cmd, params })
            .await
            .unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"));
    }

    /// Makes the page see `prefers-color-scheme: dark` (or light), as a reader whose system
    /// is set so would; checked through `matchMedia`.
    pub async fn set_color_scheme(&self, scheme: Scheme) {
        let features = json!([{"name": "prefers-color-scheme", "value": scheme.name()}]);
        self.devtools("Emulation.setEmulatedMedia", json!({"features": features}))
            .await;
        let query = format!("(prefers-color-scheme: {})", scheme.name());
        let matches = self
            .script(
                "return matchMedia(arguments[0]).matches;",
                vec![json!(query)],
            )
            .await;
        assert_eq!(matches, json!(true), "the page does not see {query}");
    }

    /// Lets downloads land in `dir`, without asking.
    pub async fn allow_downloads(&self, dir: &Path) {
        let path = dir.display().to_string();
        self.devtools(
            "Browser.setDownloadBehavior",
            json!({"behavior": "allow", "downloadPath": path}),
        )
        .await;
    }
}

/// The file `name` in `dir` once its download has finished.
pub async fn downloaded(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let partial = dir.join(format!("{name}.crdownload"));
    let started = Instant::now();
    while !path.exists() || partial.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no finished download of {name} in {}",
            dir.display()
        );
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    path
}
