//! Where settings come from. Rocket's own `Config::figment()` is its defaults, then
//! `Rocket.toml` (the working directory or a parent, or `ROCKET_CONFIG`), then `ROCKET_*`
//! variables. Ours puts this repository's `Rocket.toml`, compiled in, right after Rocket's
//! defaults: a binary copied alone to a server then runs with the database, limits, pool and
//! `max_blocking` it was tested with, and a `Rocket.toml` or `ROCKET_*` there still wins.

use rocket::Config;
use rocket::figment::Figment;
use rocket::figment::Profile;
use rocket::figment::providers::{Env, Format, Toml};

/// The `Rocket.toml` of the source tree, as it was when this binary was built.
const BUILT_IN: &str = include_str!("../../Rocket.toml");

pub fn figment() -> Figment {
    Figment::from(Config::default())
        .merge(Toml::string(BUILT_IN).nested())
        .merge(Toml::file(Env::var_or("ROCKET_CONFIG", "Rocket.toml")).nested())
        .merge(Env::prefixed("ROCKET_").ignore(&["PROFILE"]).global())
        .select(Profile::from_env_or(
            "ROCKET_PROFILE",
            Config::DEFAULT_PROFILE,
        ))
}

#[cfg(test)]
mod tests {
    use rocket::data::{ByteUnit, Limits};

    use super::*;

    #[test]
    fn the_built_in_rocket_toml_parses_and_gives_the_defaults() {
        let built_in = Figment::from(Config::default()).merge(Toml::string(BUILT_IN).nested());
        assert_eq!(
            built_in
                .extract_inner::<String>("databases.people.url")
                .ok(),
            Some("sqlite://people.db".to_owned())
        );
        assert_eq!(built_in.extract_inner::<u16>("max_blocking").ok(), Some(8));
        let limits: Limits = built_in.extract_inner("limits").expect("limits");
        assert_eq!(limits.get("form"), Some(ByteUnit::Kibibyte(16)));
    }
}
