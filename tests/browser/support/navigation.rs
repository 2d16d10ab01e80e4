//! Moving between pages, and knowing when the next one has loaded.

use fantoccini::Locator;
use serde_json::json;

use super::Browser;

impl Browser {
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

    /// Waits until the page shows the flash message `expected` (its text, without the Undo
    /// button's): for forms that answer at the address they were sent from.
    pub async fn wait_for_flash(&self, expected: &str) {
        let started = std::time::Instant::now();
        loop {
            let shown = self
                .script(
                    "const p = document.querySelector('.flash p, p.flash'); \
                     return document.readyState === 'complete' && p ? p.textContent : null;",
                    vec![],
                )
                .await;
            if shown == json!(expected) {
                return;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "no flash {expected:?}, got {shown}:\n{}",
                self.body_text().await
            );
            rocket::tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
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
