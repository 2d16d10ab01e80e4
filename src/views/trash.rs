//! The trash's pages: the trash itself, a trashed person's page (410), restoring under
//! another name (409 when the name is taken), and the confirmation of deleting forever; and
//! the history a person page lists.

use askama::Template;
use askama_web::WebTemplate;
use time::PrimitiveDateTime;

use super::{FlashView, NameField, paths};
use crate::forms::CsrfToken;
use crate::models::{EventKind, HistoryEntry, TrashedPerson};
use crate::numbers::thousands;

#[derive(Template, WebTemplate)]
#[template(path = "people/trash.html")]
pub struct TrashPage {
    pub flash: Option<FlashView>,
    pub people: Vec<TrashedRow>,
    pub csrf_token: String,
    pub trash_days: u32,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

pub struct TrashedRow {
    pub person: TrashedPerson,
    pub deleted: ShortDate,
}

impl TrashPage {
    pub fn new(
        flash: Option<FlashView>,
        people: Vec<TrashedPerson>,
        page: u32,
        more: bool,
        trash_days: u32,
        csrf: CsrfToken,
    ) -> Self {
        Self {
            flash,
            people: people
                .into_iter()
                .map(|person| TrashedRow {
                    deleted: ShortDate::new(person.deleted_at),
                    person,
                })
                .collect(),
            csrf_token: csrf.0,
            trash_days,
            prev_href: (page > 1).then(|| paths::trash_page(page - 1)),
            next_href: more.then(|| paths::trash_page(page + 1)),
        }
    }
}

/// The person page of someone in the trash (answered with 410 Gone): when they were deleted,
/// and a Restore button.
#[derive(Template, WebTemplate)]
#[template(path = "people/trashed.html")]
pub struct TrashedPage {
    pub person: TrashedPerson,
    pub deleted: ShortDate,
    pub csrf_token: String,
}

impl TrashedPage {
    pub fn new(person: TrashedPerson, csrf: CsrfToken) -> Self {
        Self {
            deleted: ShortDate::new(person.deleted_at),
            person,
            csrf_token: csrf.0,
        }
    }
}

/// Restoring someone whose name was taken meanwhile (409), or the same form again with the
/// new name refused (422) or taken too (409).
#[derive(Template, WebTemplate)]
#[template(path = "people/restore_as.html")]
pub struct RestoreAsPage {
    pub person: TrashedPerson,
    pub name: NameField,
    pub csrf_token: String,
}

impl RestoreAsPage {
    pub fn new(person: TrashedPerson, name: NameField, csrf: CsrfToken) -> Self {
        Self {
            person,
            name,
            csrf_token: csrf.0,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "people/delete_forever.html")]
pub struct DeleteForeverPage {
    pub person: TrashedPerson,
    pub csrf_token: String,
}

/// "3 people in the trash" for the list page: exact, the database keeps the number.
pub fn trash_text(count: i64) -> String {
    let noun = if count == 1 { "person" } else { "people" };
    let count = usize::try_from(count).unwrap_or(0);
    format!("{} {noun} in the trash", thousands(count))
}

/// A moment as the history and the trash show it: "25 Nov 2026 14:02 UTC", with
/// `2026-11-25T14:02Z` for machines.
pub struct ShortDate {
    pub machine: String,
    pub human: String,
}

impl ShortDate {
    pub fn new(at: PrimitiveDateTime) -> Self {
        let (date, hour, minute) = (at.date(), at.hour(), at.minute());
        let month = date.month().to_string();
        Self {
            machine: format!(
                "{:04}-{:02}-{:02}T{hour:02}:{minute:02}Z",
                date.year(),
                u8::from(date.month()),
                date.day()
            ),
            human: format!(
                "{} {} {} {hour:02}:{minute:02} UTC",
                date.day(),
                month.get(..3).unwrap_or(&month),
                date.year()
            ),
        }
    }
}

/// One line of a person's history: "Renamed from Ada Byron to Ada Lovelace", and when.
pub struct HistoryLine {
    pub text: String,
    pub at: ShortDate,
}

impl HistoryLine {
    pub fn new(entry: &HistoryEntry) -> Self {
        let before = entry.name_before.as_deref().unwrap_or("?");
        let after = entry.name_after.as_deref().unwrap_or("?");
        let text = match entry.kind() {
            EventKind::Create => format!("Added as {after}"),
            EventKind::Rename => format!("Renamed from {before} to {after}"),
            EventKind::Delete => format!("Moved to the trash as {before}"),
            EventKind::Restore if before == after => format!("Restored as {after}"),
            EventKind::Restore => format!("Restored as {after} (deleted as {before})"),
        };
        Self {
            text,
            at: ShortDate::new(entry.at),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::{Date, Month, PrimitiveDateTime, Time};

    use super::*;

    #[test]
    fn short_dates_read_as_the_issue_shows_them() {
        let day = Date::from_calendar_date(2026, Month::November, 25).unwrap();
        let at = PrimitiveDateTime::new(day, Time::from_hms(14, 2, 9).unwrap());
        let date = ShortDate::new(at);
        assert_eq!(date.human, "25 Nov 2026 14:02 UTC");
        assert_eq!(date.machine, "2026-11-25T14:02Z");
    }

    #[test]
    fn trash_counts_read_naturally() {
        assert_eq!(trash_text(1), "1 person in the trash");
        assert_eq!(trash_text(3), "3 people in the trash");
        assert_eq!(trash_text(100_000), "100,000 people in the trash");
    }
}
