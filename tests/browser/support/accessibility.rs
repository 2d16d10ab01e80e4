//! axe-core (vendored in `tests/browser/vendor/`) run on the page in the browser.

use serde_json::{Value, json};

use super::Browser;

const AXE: &str = include_str!("../vendor/axe.min.js");

impl Browser {
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
}
