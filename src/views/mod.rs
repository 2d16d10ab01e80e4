//! The pages: one Askama template struct each, built from models and forms and never from
//! raw requests. `WebTemplate` makes them Rocket responders (HTML, 200 unless the handler
//! pairs them with another status). The error page renders `AppError` too.

mod error_page;
mod flash;
mod form_page;
mod import;
mod list;
mod name_field;
pub mod paths;
mod people;
mod trash;

pub use error_page::ErrorPage;
pub use flash::{Flash, FlashView};
pub use form_page::FormPage;
pub use import::{ImportPage, PreviewPage, people_text};
pub use list::{ListPage, ShownList};
pub use name_field::NameField;
pub use people::{DeletePage, EditPage, NewPage, ShowPage};
pub use trash::{
    DeleteForeverPage, HistoryLine, RestoreAsPage, TrashPage, TrashedPage, trash_text,
};
