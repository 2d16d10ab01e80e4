//! The addresses pages link to, in one place. Routes own the paths (their attributes), and
//! `routes::tests` checks each of these against Rocket's `uri!` for its route, so a renamed
//! route cannot leave a page linking to the old address.

use std::borrow::Borrow;
use std::fmt;

use crate::assets;

/// The list without parameters: what the site links to and redirects to.
pub const LIST: &str = "/people";
pub const NEW: &str = "/people/new";
pub const IMPORT: &str = "/people/import";
/// Every person the list shows, as CSV: takes the list's `q` and `sort`.
pub const EXPORT: &str = "/people.csv";

/// The trash, newest first (`?page=N`).
pub const TRASH: &str = "/people/trash";
/// Undo of a delete: restores the `id` fields it sends.
pub const UNDO: &str = "/people/trash/restore";

pub fn restore(id: impl Borrow<i32>) -> String {
    format!("{LIST}/{}/restore", id.borrow())
}

/// Restore under another name (when the old one was taken meanwhile).
pub fn restore_as(id: impl Borrow<i32>) -> String {
    format!("{LIST}/{}/restore-as", id.borrow())
}

/// A person in the trash: `DELETE` deletes them forever.
pub fn trashed(id: impl Borrow<i32>) -> String {
    format!("{TRASH}/{}", id.borrow())
}

/// The confirmation page of deleting forever.
pub fn delete_forever(id: impl Borrow<i32>) -> String {
    format!("{TRASH}/{}/delete", id.borrow())
}

/// The trash page `page` (1-based).
pub fn trash_page(page: u32) -> String {
    match page {
        1 => TRASH.to_owned(),
        n => format!("{TRASH}?page={n}"),
    }
}

/// A person's pages. Each is written straight into the page as it renders (`Display`), not
/// made as a `String` first: the list links every row three times, and those 150 small
/// allocations per page were measurable under load. Takes the id by value or by reference
/// (templates pass references); `.to_string()` where a `String` is needed.
pub fn person(id: impl Borrow<i32>) -> PersonPath {
    PersonPath(*id.borrow(), "")
}

pub fn edit(id: impl Borrow<i32>) -> PersonPath {
    PersonPath(*id.borrow(), "/edit")
}

pub fn delete(id: impl Borrow<i32>) -> PersonPath {
    PersonPath(*id.borrow(), "/delete")
}

/// `/people/ID` and what follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonPath(i32, &'static str);

impl fmt::Display for PersonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{LIST}/{}{}", self.0, self.1)
    }
}

/// Where a page links a file from `static/` (`"style.css"`): its content-hashed address,
/// which browsers and proxies may keep for a year, so a new version is a new address.
/// The test below checks that every name the templates use is there.
pub fn asset(name: &str) -> &'static str {
    assets::find(name).map_or("/static/missing", |asset| asset.url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_the_templates_link_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut linked = 0;
        let mut pending = vec![std::path::PathBuf::from(dir)];
        while let Some(path) = pending.pop() {
            if path.is_dir() {
                pending.extend(
                    std::fs::read_dir(&path)
                        .expect("a folder")
                        .flatten()
                        .map(|e| e.path()),
                );
                continue;
            }
            let template = std::fs::read_to_string(&path).expect("a template");
            for call in template.split("paths::asset(\"").skip(1) {
                let name = call.split_once('"').map_or(call, |(name, _)| name);
                assert_ne!(
                    asset(name),
                    "/static/missing",
                    "{} links {name}",
                    path.display()
                );
                linked += 1;
            }
        }
        assert!(linked >= 2, "the stylesheet and the icon");
    }
}
