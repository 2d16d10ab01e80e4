//! The pages about one person: show, add, edit, confirm delete.

use askama::Template;
use askama_web::WebTemplate;
use time::PrimitiveDateTime;

use super::{FlashView, HistoryLine, NameField, paths};
use crate::forms::{CreationKey, CsrfToken};
use crate::models::{HistoryEntry, Person, PersonDetails};

#[derive(Template, WebTemplate)]
#[template(path = "people/show.html")]
pub struct ShowPage {
    pub flash: Option<FlashView>,
    pub person: Person,
    /// Both `None` for people added before the app kept dates.
    pub added: Option<DateView>,
    pub changed: Option<DateView>,
    /// Newest first.
    pub history: Vec<HistoryLine>,
}

impl ShowPage {
    pub fn new(flash: Option<FlashView>, details: PersonDetails, history: &[HistoryEntry]) -> Self {
        Self {
            history: history.iter().map(HistoryLine::new).collect(),
            flash,
            person: details.person,
            added: details.created_at.map(DateView::new),
            changed: details.updated_at.map(DateView::new),
        }
    }
}

/// A moment as a `<time>` element shows it: "26 November 2026, 14:05 UTC", and
/// `2026-11-26T14:05Z` for machines.
pub struct DateView {
    pub machine: String,
    pub human: String,
}

impl DateView {
    fn new(at: PrimitiveDateTime) -> Self {
        let (date, hour, minute) = (at.date(), at.hour(), at.minute());
        Self {
            machine: format!(
                "{:04}-{:02}-{:02}T{hour:02}:{minute:02}Z",
                date.year(),
                u8::from(date.month()),
                date.day()
            ),
            human: format!(
                "{} {} {}, {hour:02}:{minute:02} UTC",
                date.day(),
                date.month(),
                date.year()
            ),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "people/new.html")]
pub struct NewPage {
    pub name: NameField,
    pub csrf_token: String,
    /// A fresh one-time key per rendered form: submitting this form twice creates once.
    pub creation_key: String,
}

impl NewPage {
    pub fn new(name: NameField, csrf: CsrfToken) -> Self {
        Self {
            name,
            csrf_token: csrf.0,
            creation_key: CreationKey::new().as_str().to_owned(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "people/edit.html")]
pub struct EditPage {
    /// As stored now: the heading and the Cancel link name the saved person, not the input.
    pub person: Person,
    pub name: NameField,
    /// The version the user's form was opened at, kept across re-renders so that saving
    /// still detects anyone else's save in between.
    pub version: i32,
    pub csrf_token: String,
    /// Someone else saved this person after the form was opened (the 409 page).
    pub stale: bool,
}

impl EditPage {
    pub fn new(person: Person, csrf: CsrfToken) -> Self {
        let name = NameField::prefilled(&person.name);
        let version = person.version;
        Self::refused(person, name, version, csrf)
    }

    /// The form again with the user's input and the version they edited.
    pub fn refused(person: Person, name: NameField, version: i32, csrf: CsrfToken) -> Self {
        Self {
            person,
            name,
            version,
            csrf_token: csrf.0,
            stale: false,
        }
    }

    /// The form again after someone else's save: their name shown, the user's input kept,
    /// and the current version, so saving again is a deliberate overwrite.
    pub fn stale(current: Person, name: NameField, csrf: CsrfToken) -> Self {
        let version = current.version;
        Self {
            stale: true,
            ..Self::refused(current, name, version, csrf)
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "people/delete.html")]
pub struct DeletePage {
    pub person: Person,
    pub csrf_token: String,
}

#[cfg(test)]
mod tests {
    use time::{Date, Month, PrimitiveDateTime, Time};

    use super::DateView;

    #[test]
    fn dates_read_naturally_and_parse_as_html_dates() {
        let day = Date::from_calendar_date(2026, Month::November, 6).unwrap();
        let date = DateView::new(PrimitiveDateTime::new(
            day,
            Time::from_hms(9, 5, 59).unwrap(),
        ));
        assert_eq!(date.human, "6 November 2026, 09:05 UTC");
        assert_eq!(date.machine, "2026-11-06T09:05Z");
    }
}
