use std::process::ExitCode;

#[rocket::main]
async fn main() -> ExitCode {
    match people::rocket().launch().await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            // Why it failed has already been logged; this is the line a supervisor shows.
            eprintln!("people: could not start: {error}");
            ExitCode::FAILURE
        }
    }
}
