//! Embeds `static/` in the binary: for each file its content hash (for the cache-busting
//! URL `/static/style.<hash>.css`) and its brotli and gzip forms, compressed here, once, at
//! the strongest settings, rather than per request. Writes `$OUT_DIR/assets.rs`, which
//! `src/assets.rs` includes.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

const STATIC_DIR: &str = "static";
/// Hex digits of the SHA-256 in a hashed name: enough that two versions of a file never share
/// a URL by chance, short enough to read.
const HASH_DIGITS: usize = 12;

fn main() {
    println!("cargo:rerun-if-changed={STATIC_DIR}");
    let root = PathBuf::from(env_var("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env_var("OUT_DIR"));
    let mut files = Vec::new();
    list_files(&root.join(STATIC_DIR), &mut files);
    files.sort();

    let mut generated = String::from("&[\n");
    for path in &files {
        let name = path
            .strip_prefix(root.join(STATIC_DIR))
            .unwrap_or_else(|_| panic!("{} is outside static/", path.display()))
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let hash: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()[..HASH_DIGITS]
            .to_owned();
        let hashed = match name.rsplit_once('.') {
            Some((stem, extension)) if !stem.is_empty() => format!("{stem}.{hash}.{extension}"),
            _ => format!("{name}.{hash}"),
        };
        let extension = name.rsplit_once('.').map_or("", |(_, ext)| ext);
        let flat = name.replace('/', "__");
        let brotli = smaller(&bytes, brotli(&bytes), &out.join(format!("{flat}.br")));
        let gzip = smaller(&bytes, gzip(&bytes), &out.join(format!("{flat}.gz")));
        let _ = writeln!(
            generated,
            "    Asset {{ name: {name:?}, url: {url:?}, hash: {hash:?}, extension: {extension:?}, \
             identity: include_bytes!({path:?}), brotli: {brotli}, gzip: {gzip} }},",
            url = format!("/static/{hashed}"),
            path = path.display().to_string(),
        );
    }
    generated.push(']');
    std::fs::write(out.join("assets.rs"), generated).expect("write assets.rs");
}

fn env_var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("cargo sets {name}"))
}

fn list_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            list_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// Writes the compressed form next to the generated code and names it, if it is smaller
/// than the file itself (an already compressed image would not be).
fn smaller(original: &[u8], compressed: Vec<u8>, path: &Path) -> String {
    if compressed.len() >= original.len() {
        return "None".to_owned();
    }
    std::fs::write(path, compressed).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    format!("Some(include_bytes!({:?}))", path.display().to_string())
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut compressed = Vec::new();
    {
        // Quality 11 and a 4 MiB window (lgwin 22): the densest brotli.
        let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, 11, 22);
        writer.write_all(bytes).expect("brotli into memory");
    }
    compressed
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    // No file name and a zero mtime in the header: the same input gives the same bytes.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}
