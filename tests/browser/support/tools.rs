//! Finding chromedriver and Chromium, and saying so clearly when they are not there.

use std::path::{Path, PathBuf};

use people_test_harness::Prerequisite;

const CHROMEDRIVER_VAR: &str = "PEOPLE_CHROMEDRIVER";
const CHROMIUM_VAR: &str = "PEOPLE_CHROMIUM";
/// Chromium and its WebDriver, which every browser test needs.
const BROWSER: Prerequisite = Prerequisite {
    tests: "Browser tests",
    required_var: "PEOPLE_TEST_REQUIRE_BROWSER",
    how_to_run: || {
        format!(
            "To run them, install Chromium and its WebDriver\n    (Debian/Ubuntu: sudo apt \
             install chromium chromium-driver), or name them with\n    \
             {CHROMEDRIVER_VAR}=/path/to/chromedriver {CHROMIUM_VAR}=/path/to/chromium, \
             then:\n    cargo test --test browser"
        )
    },
};

pub struct Tools {
    pub chromedriver: PathBuf,
    pub chromium: PathBuf,
}

impl Tools {
    /// `None` (and a note on the terminal) when either program is missing.
    pub fn find(test: &str) -> Option<Self> {
        let chromedriver = program(CHROMEDRIVER_VAR, &["chromedriver"]);
        let chromium = program(CHROMIUM_VAR, &["chromium", "chromium-browser"]);
        match (chromedriver, chromium) {
            (Some(chromedriver), Some(chromium)) => Some(Self {
                chromedriver,
                chromium,
            }),
            (chromedriver, chromium) => {
                let mut missing = Vec::new();
                if chromedriver.is_none() {
                    missing.push("chromedriver");
                }
                if chromium.is_none() {
                    missing.push("chromium");
                }
                BROWSER.missing(test, &format!("{} not found", missing.join(" and ")));
                None
            }
        }
    }
}

/// The program named by `var`, or the first of `names` on `PATH`.
fn program(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var) {
        let path = PathBuf::from(path);
        return is_executable(&path).then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}
