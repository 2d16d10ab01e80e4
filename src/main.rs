use std::process::ExitCode;

use rocket::error::ErrorKind;

#[rocket::main]
async fn main() -> ExitCode {
    match people::rocket().launch().await {
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
