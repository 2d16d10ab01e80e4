//! The files of `static/`, compiled into the binary by `build.rs`: each with its content
//! hash, the address pages link to (`/static/style.<hash>.css`), and its brotli and gzip
//! forms made at build time. The binary needs no `static/` folder beside it, and serving a
//! file is a copy from memory (`routes::assets`).

pub struct Asset {
    /// Its path under `static/`: `style.css`.
    pub name: &'static str,
    /// Where pages link to it: `/static/style.<hash>.css`, cacheable for good.
    pub url: &'static str,
    /// The first hex digits of the SHA-256 of its bytes.
    pub hash: &'static str,
    pub extension: &'static str,
    pub identity: &'static [u8],
    /// Only when smaller than `identity`.
    pub brotli: Option<&'static [u8]>,
    pub gzip: Option<&'static [u8]>,
}

static ASSETS: &[Asset] = include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// How a request named the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// `/static/style.<hash>.css`: these bytes forever.
    Hashed,
    /// `/static/style.css`: whatever the current version is.
    Plain,
}

/// The asset at `path` under `/static/`, by either name.
pub fn lookup(path: &str) -> Option<(&'static Asset, Naming)> {
    ASSETS.iter().find_map(|asset| {
        if asset.url.strip_prefix("/static/") == Some(path) {
            Some((asset, Naming::Hashed))
        } else if asset.name == path {
            Some((asset, Naming::Plain))
        } else {
            None
        }
    })
}

/// The asset named `name` in `static/`.
pub fn find(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_static_is_embedded_under_both_names() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static");
        let files = std::fs::read_dir(dir).expect("static/").flatten();
        for file in files {
            let name = file.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(file.path()).expect("a static file");
            let (asset, naming) = lookup(&name).expect("embedded");
            assert_eq!((asset.identity, naming), (&bytes[..], Naming::Plain));
            let hashed = asset.url.strip_prefix("/static/").expect("under /static/");
            assert_ne!(hashed, name);
            assert!(hashed.contains(asset.hash), "{hashed}");
            assert_eq!(
                lookup(hashed).map(|(_, naming)| naming),
                Some(Naming::Hashed)
            );
        }
        assert!(lookup("style.000000000000.css").is_none());
        assert!(lookup("../Cargo.toml").is_none());
    }

    #[test]
    fn the_stylesheet_is_compressed_both_ways() {
        let css = find("style.css").expect("the stylesheet");
        let brotli = css.brotli.expect("a brotli form");
        let gzip = css.gzip.expect("a gzip form");
        assert!(brotli.len() < gzip.len() && gzip.len() < css.identity.len());
    }
}
