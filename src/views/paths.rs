//! The addresses pages link to, in one place. Routes own the paths (their attributes), and
//! `routes::tests` checks each of these against Rocket's `uri!` for its route, so a renamed
//! route cannot leave a page linking to the old address.

use std::borrow::Borrow;

/// The list without parameters: what the site links to and redirects to.
pub const LIST: &str = "/people";
pub const NEW: &str = "/people/new";
pub const IMPORT: &str = "/people/import";
/// Every person the list shows, as CSV: takes the list's `q` and `sort`.
pub const EXPORT: &str = "/people.csv";

/// Takes the id by value or by reference (templates pass references).
pub fn person(id: impl Borrow<i32>) -> String {
    let id = id.borrow();
    format!("{LIST}/{id}")
}

pub fn edit(id: impl Borrow<i32>) -> String {
    let id = id.borrow();
    format!("{LIST}/{id}/edit")
}

pub fn delete(id: impl Borrow<i32>) -> String {
    let id = id.borrow();
    format!("{LIST}/{id}/delete")
}
