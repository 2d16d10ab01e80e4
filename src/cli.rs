//! The command line: `people` (or `people serve`) serves, `people migrate` applies pending
//! migrations and exits. Both read the same configuration (`settings::figment`), and each
//! turns a failure into one line on stderr and exit status 1.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rocket::error::ErrorKind;

#[derive(Parser)]
#[command(
    version,
    about = "People: list, add, edit and delete people, on SQLite or PostgreSQL",
    after_help = "Configured by Rocket.toml (in the working directory) and ROCKET_* variables, \
                  over the defaults built in: e.g. ROCKET_DATABASES='{people={url=\"postgres://...\"}}', \
                  ROCKET_SECRET_KEY, ROCKET_PORT, ROCKET_PUBLIC_ORIGIN. See the README."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Clone, Copy, Default, PartialEq, Eq, Debug)]
pub enum Command {
    /// Serve the app (the default); applies pending migrations first
    #[default]
    Serve,
    /// Apply pending migrations to the configured database, then exit
    Migrate,
}

impl Cli {
    pub fn to_run(&self) -> Command {
        self.command.unwrap_or_default()
    }
}

pub async fn serve() -> ExitCode {
    match crate::rocket().launch().await {
        Ok(_) => ExitCode::SUCCESS,
        // A failing fairing has already logged its one line saying why.
        Err(error) if matches!(error.kind(), ErrorKind::FailedFairings(_)) => ExitCode::FAILURE,
        Err(error) if matches!(error.kind(), ErrorKind::InsecureSecretKey(_)) => {
            eprintln!(
                "people: cannot start: release builds need a secret_key shared by all \
                 instances; set ROCKET_SECRET_KEY=$(openssl rand -base64 32) (see README)"
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("people: cannot start: {error}");
            ExitCode::FAILURE
        }
    }
}

pub async fn migrate() -> ExitCode {
    match crate::db::migrate(&crate::settings::figment()).await {
        Ok(done) => {
            println!("people: migrations: {done}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("people: cannot migrate: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serving_is_the_default() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|cli| cli.to_run());
        assert_eq!(parse(&["people"]).ok(), Some(Command::Serve));
        assert_eq!(parse(&["people", "serve"]).ok(), Some(Command::Serve));
        assert_eq!(parse(&["people", "migrate"]).ok(), Some(Command::Migrate));
        assert!(parse(&["people", "frobnicate"]).is_err());
    }
}
