//! What is on the page, and typing and clicking into it.

use fantoccini::Locator;
use fantoccini::elements::Element;
use serde_json::{Value, json};

use super::Browser;

impl Browser {
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
}

impl Browser {
    /// Chooses `file` in the import form and sends it, landing on the preview. The preview
    /// answers the form's POST at the same address, so this waits for its heading.
    pub async fn preview_import(&self, file: &std::path::Path) {
        self.goto("/people/import").await;
        self.wait_for_heading("Import people").await;
        self.find("#file")
            .await
            .send_keys(&file.display().to_string())
            .await
            .expect("choose the file");
        self.click(".person-form button[type=submit]").await;
        self.wait_for_heading("Check the import").await;
    }
}
