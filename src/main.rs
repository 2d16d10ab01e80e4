use std::process::ExitCode;

use clap::Parser;
use people::cli::{Cli, Command};

#[rocket::main]
async fn main() -> ExitCode {
    match Cli::parse().to_run() {
        Command::Serve => people::cli::serve().await,
        Command::Migrate => people::cli::migrate().await,
    }
}
