//! The configuration: Rocket's layers with this repository's `Rocket.toml` compiled in
//! (figment.rs), and the settings the app adds for running behind a reverse proxy
//! (public_origin.rs), read once at launch and kept as managed state; the async runtime
//! the server runs on is built from the same layers (runtime.rs).

mod figment;
mod public_origin;
mod runtime;

pub use figment::figment;
pub use public_origin::{PublicOrigins, PublicOriginsError};
pub use runtime::{BLOCKING_KEEP_ALIVE, RuntimeSettings};

use rocket::fairing::AdHoc;

/// Reads the app's own settings at launch; a bad value stops the launch with one line
/// saying which and why.
pub(crate) fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Settings", |rocket| async {
        match PublicOrigins::from_figment(rocket.figment()) {
            Ok(origins) => Ok(rocket.manage(origins)),
            Err(e) => {
                rocket::error!("people: cannot start: {e}");
                Err(rocket)
            }
        }
    })
}
