//! The one way a test says it was skipped. `.ci/run` fails a run whose output holds the word
//! `SKIPPED`, so every skip prints it, and only a skip does.

use std::io::Write;
use std::sync::Mutex;

/// Something a kind of test needs from the machine (a PostgreSQL server, a browser).
pub struct Prerequisite {
    /// Which tests need it, as the notice names them: "PostgreSQL tests".
    pub tests: &'static str,
    /// Set (by `.ci/run`) when a missing prerequisite must fail the test instead.
    pub required_var: &'static str,
    /// How to run the tests after all; shown once per test binary, with the first skip.
    pub how_to_run: fn() -> String,
}

impl Prerequisite {
    /// The prerequisite is missing (`reason` says how): fails `test` when it is required,
    /// and otherwise notes the skip. The caller then returns without testing.
    pub fn missing(&self, test: &str, reason: &str) {
        assert!(
            std::env::var_os(self.required_var).is_none(),
            "{} is set, so {test} must run, but it cannot: {reason}",
            self.required_var
        );
        // Written past the test harness's capture, so a passing run still shows what it
        // skipped.
        static SHOWN: Mutex<Vec<&str>> = Mutex::new(Vec::new());
        let first = SHOWN.lock().map_or(true, |mut shown| {
            let first = !shown.contains(&self.tests);
            if first {
                shown.push(self.tests);
            }
            first
        });
        let mut stderr = std::io::stderr().lock();
        if first {
            let _ = writeln!(
                stderr,
                "\n{} SKIPPED. {}\n",
                self.tests,
                (self.how_to_run)()
            );
        }
        let _ = writeln!(stderr, "SKIPPED ({reason}): {test}");
    }
}
