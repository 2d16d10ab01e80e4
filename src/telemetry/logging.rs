//! Every log line goes through `tracing`: ours, Rocket's and the drivers' (which use the `log`
//! crate, bridged by `tracing-log`). Rocket installs its own `log` logger in
//! `rocket::custom()` only if none is installed yet, so this runs first and Rocket's stays
//! out. Human-readable lines by default, one JSON object per line with `log_format = "json"`;
//! Rocket's `log_level` still chooses how much is said.
//!
//! A process has one logger, and the tests build many apps in one process: the first app
//! installs it and the others log through it.

use std::io::IsTerminal;
use std::sync::Once;

use rocket::config::LogLevel;
use rocket::figment::Figment;
use serde::Deserialize;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::writer::BoxMakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::{Layer, Registry};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    pub const KEY: &'static str = "log_format";

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Json => "json",
        }
    }
}

/// Installs the process's logger from the app's configuration, once. An unreadable
/// `log_format` logs as text here; the launch then refuses it (see `settings`).
pub fn init(figment: &Figment) {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let config = rocket::Config::try_from(figment).unwrap_or_default();
        let format = figment
            .extract_inner::<LogFormat>(LogFormat::KEY)
            .unwrap_or_default();
        let level = level_of(config.log_level);
        let color = config.cli_colors && std::io::stdout().is_terminal();
        let subscriber = tracing_subscriber::registry()
            .with(lines(format, color, writer()).with_filter(filter(level)));
        // Both fail only if something else installed a logger first; it then keeps logging.
        if tracing::subscriber::set_global_default(subscriber).is_ok() {
            let _ = tracing_log::LogTracer::init_with_filter(log_filter(level));
        }
    });
}

/// How each line is written. In JSON, a line about a request carries the request's span
/// (`"span": {"name": "request", "request_id": ...}`) beside the event's own fields.
fn lines<W>(format: LogFormat, color: bool, writer: W) -> Box<dyn Layer<Registry> + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let lines = tracing_subscriber::fmt::layer().with_writer(writer);
    match format {
        LogFormat::Text => lines.with_ansi(color).boxed(),
        LogFormat::Json => lines
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
    }
}

/// Rocket's levels, as Rocket maps them onto `log`'s.
fn level_of(level: LogLevel) -> LevelFilter {
    match level {
        LogLevel::Off => LevelFilter::OFF,
        LogLevel::Critical => LevelFilter::WARN,
        LogLevel::Normal => LevelFilter::INFO,
        LogLevel::Debug => LevelFilter::TRACE,
    }
}

/// Below `debug`, Rocket's own launch banner (with Shield's list of headers) and its several
/// lines per request are left out: the app logs one line at launch and one per request
/// instead. Rocket's warnings
/// (signals, bad requests) still show; its indented detail lines (`::_`) do not.
fn filter(level: LevelFilter) -> Targets {
    let targets = Targets::new().with_default(level);
    if level == LevelFilter::TRACE {
        return targets;
    }
    targets
        .with_target("rocket::launch", LevelFilter::OFF)
        .with_target("rocket::shield", level.min(LevelFilter::WARN))
        .with_target("rocket::server", level.min(LevelFilter::WARN))
        .with_target("rocket::server::_", LevelFilter::OFF)
}

/// `log` macros below this level cost nothing: they never build a record for the bridge.
fn log_filter(level: LevelFilter) -> tracing_log::log::LevelFilter {
    match level.into_level() {
        None => tracing_log::log::LevelFilter::Off,
        Some(tracing::Level::ERROR) => tracing_log::log::LevelFilter::Error,
        Some(tracing::Level::WARN) => tracing_log::log::LevelFilter::Warn,
        Some(tracing::Level::INFO) => tracing_log::log::LevelFilter::Info,
        Some(tracing::Level::DEBUG) => tracing_log::log::LevelFilter::Debug,
        Some(tracing::Level::TRACE) => tracing_log::log::LevelFilter::Trace,
    }
}

/// Standard output. Debug builds (and so the tests) print through `print!`, which the test
/// harness captures, as Rocket's own logger does; release builds write to stdout directly.
fn writer() -> BoxMakeWriter {
    if cfg!(debug_assertions) {
        BoxMakeWriter::new(tracing_subscriber::fmt::TestWriter::new())
    } else {
        BoxMakeWriter::new(std::io::stdout)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A writer into a buffer the test reads.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Self;
        fn make_writer(&'a self) -> Self {
            self.clone()
        }
    }

    fn enabled(level: LevelFilter, target: &str, event: tracing::Level) -> bool {
        filter(level).would_enable(target, &event)
    }

    #[test]
    fn rocket_chatter_is_left_out_unless_debug() {
        let normal = LevelFilter::INFO;
        assert!(enabled(normal, "people::request", tracing::Level::INFO));
        assert!(!enabled(normal, "rocket::launch", tracing::Level::WARN));
        assert!(!enabled(normal, "rocket::server", tracing::Level::INFO));
        assert!(enabled(normal, "rocket::server", tracing::Level::WARN));
        assert!(!enabled(normal, "rocket::server::_", tracing::Level::ERROR));
        assert!(enabled(
            LevelFilter::TRACE,
            "rocket::server::_",
            tracing::Level::INFO
        ));
        assert!(!enabled(
            LevelFilter::WARN,
            "people::request",
            tracing::Level::INFO
        ));
        assert!(!enabled(
            LevelFilter::OFF,
            "people::db",
            tracing::Level::ERROR
        ));
    }

    #[test]
    fn json_lines_are_one_object_each_with_the_span_fields() {
        let out = Captured::default();
        let subscriber =
            tracing_subscriber::registry().with(lines(LogFormat::Json, false, out.clone()));
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::error_span!("request", request_id = "abc-1");
            span.in_scope(|| tracing::info!(target: "people::request", status = 200, "request"));
        });
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(line["status"], 200);
        assert_eq!(line["span"]["request_id"], "abc-1");
        assert_eq!(line["target"], "people::request");
    }
}
