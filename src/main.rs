use std::process::ExitCode;

use clap::Parser;
use people::cli::{Cli, Command};
use people::settings::{RuntimeSettings, figment};

fn main() -> ExitCode {
    let command = Cli::parse().to_run();
    // The runtime from our own settings (`settings/runtime.rs` says why not
    // `#[rocket::main]`), then `shutdown.force` as Rocket applies it.
    let settings = match RuntimeSettings::from_figment(&figment()) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("people: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match settings.build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("people: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let status = runtime.block_on(async {
        match command {
            Command::Serve => people::cli::serve().await,
            Command::Migrate => people::cli::migrate().await,
        }
    });
    if settings.force_end {
        runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    }
    status
}
