//! What operators see of the running app: log lines (ours, Rocket's and the drivers', all
//! through `tracing`, as text or JSON), a request id on every request and response, one line
//! per request, and Prometheus metrics at `/metrics` when `metrics = true`.
//!
//! `logging::init` runs before Rocket is built (it must install the logger before Rocket
//! does); `stage` reads the settings and attaches the rest; `observed` wraps route handlers
//! so that what they do is counted against their request.

mod context;
mod logging;
mod observed;
mod prometheus;
mod request_log;

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::{Build, Rocket};

pub use logging::init as init_logging;
pub use observed::observed;

use self::logging::LogFormat;
use self::prometheus::Metrics;
use self::request_log::RequestLog;

/// The settings this module reads, beside Rocket's own `log_level`.
struct Settings {
    log_format: LogFormat,
    metrics: bool,
}

impl Settings {
    fn from(figment: &Figment) -> Result<Self, String> {
        Ok(Self {
            log_format: optional(figment, LogFormat::KEY, "\"text\" or \"json\"")?
                .unwrap_or_default(),
            metrics: optional(figment, "metrics", "true or false")?.unwrap_or(false),
        })
    }
}

/// A setting's value, `None` when it is not set; an error says what the value must be and
/// where the wrong one was set.
fn optional<T: serde::de::DeserializeOwned>(
    figment: &Figment,
    key: &str,
    expected: &str,
) -> Result<Option<T>, String> {
    match figment.find_value(key) {
        Err(_) => Ok(None),
        Ok(_) => figment
            .extract_inner(key)
            .map(Some)
            .map_err(|e| format!("{key} must be {expected} ({e})")),
    }
}

pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Telemetry", |rocket| async {
        let settings = match Settings::from(rocket.figment()) {
            Ok(settings) => settings,
            Err(reason) => {
                tracing::error!("people: cannot start: {reason}");
                return Err(rocket);
            }
        };
        let metrics = settings.metrics.then(Metrics::new);
        let rocket = attach_metrics(rocket, metrics.clone());
        Ok(rocket
            .attach(RequestLog { metrics })
            .attach(launch_line(settings)))
    })
}

fn attach_metrics(rocket: Rocket<Build>, metrics: Option<Arc<Metrics>>) -> Rocket<Build> {
    let Some(metrics) = metrics else {
        return rocket;
    };
    let upkept = Arc::clone(&metrics);
    rocket
        .manage(metrics)
        .mount("/", prometheus::routes())
        .attach(AdHoc::on_liftoff("Metrics upkeep", |rocket| {
            Box::pin(async move {
                let shutdown = rocket.shutdown();
                rocket::tokio::spawn(async move {
                    let mut every = rocket::tokio::time::interval(prometheus::UPKEEP_EVERY);
                    rocket::tokio::pin!(shutdown);
                    loop {
                        rocket::tokio::select! {
                            _ = &mut shutdown => break,
                            _ = every.tick() => upkept.run_upkeep(),
                        }
                    }
                });
            })
        }))
}

/// One line when the app serves, in place of Rocket's banner.
fn launch_line(settings: Settings) -> AdHoc {
    AdHoc::on_liftoff("Launch line", move |rocket| {
        Box::pin(async move {
            let config = rocket.config();
            let scheme = if config.tls_enabled() {
                "https"
            } else {
                "http"
            };
            tracing::info!(
                target: "people::launch",
                version = env!("CARGO_PKG_VERSION"),
                profile = config.profile.as_str().as_str(),
                workers = config.workers,
                log_format = settings.log_format.as_str(),
                metrics = settings.metrics,
                "serving on {scheme}://{}:{}",
                config.address,
                config.port
            );
        })
    })
}
