//! The pages: one Askama template struct each. `WebTemplate` makes them Rocket responders
//! (HTML, 200 unless the handler pairs them with another status).

mod error_page;
mod flash;
mod name_field;
mod people;
mod people_list;

pub use error_page::ErrorPage;
pub use flash::FlashView;
pub use name_field::NameField;
pub use people::{DeletePage, EditPage, NewPage, ShowPage};
pub use people_list::{EmptyState, IndexPage, SortLink};
