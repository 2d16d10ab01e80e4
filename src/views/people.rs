use askama::Template;
use askama_web::WebTemplate;

use super::{FlashView, NameField};
use crate::models::Person;

#[derive(Template, WebTemplate)]
#[template(path = "people/show.html")]
pub struct ShowPage {
    pub flash: Option<FlashView>,
    pub person: Person,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/new.html")]
pub struct NewPage {
    pub name: NameField,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/edit.html")]
pub struct EditPage {
    /// As stored: the heading and the Cancel link name the saved person, not the input.
    pub person: Person,
    pub name: NameField,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/delete.html")]
pub struct DeletePage {
    pub person: Person,
}
