//! The window's size, and screenshots of what it shows for the README.

use std::path::PathBuf;

use super::Browser;

impl Browser {
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
