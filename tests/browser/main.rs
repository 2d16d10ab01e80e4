//! Browser tests: the real `people` binary, driven in headless Chromium over WebDriver. They
//! need Debian's `chromium` and `chromium-driver` (or `PEOPLE_CHROMIUM` and
//! `PEOPLE_CHROMEDRIVER`); without them each test says it was skipped and passes, unless
//! `PEOPLE_TEST_REQUIRE_BROWSER=1`, as in CI. Each test has its own app, database and
//! Chromium.

mod support;

mod csv;
mod design;
mod flows;
mod keyboard;
mod list;
mod screenshots;
