//! What the HTML forms post, and what guards them. A form holds parsed input (a
//! `PersonName`, never a raw string), kept apart from the rows the database stores.
//! `Protected` is the data guard of every state-changing form: it reads the body (`body`,
//! within its size limit and `body_timeout`; the API reads its JSON the same way), checks the
//! CSRF token (`csrf`), refuses unknown or repeated fields, then parses. `CsvUpload` does the
//! same for the import form's multipart upload, with its limits (`ImportLimits`). The
//! one-time keys that make a double submit create once are here too, with the random source
//! both use.

mod body;
mod csrf;
mod csv_upload;
mod person;
mod protected;
mod random_key;

pub use body::{BodyError, BodyTimeout, read_body, read_bytes};
pub use csrf::{CsrfToken, FIELD as CSRF_FIELD};
pub use csv_upload::{CsvUpload, ImportForm, ImportLimits, previewed_field};
pub use person::{CreationKey, EditPersonForm, NewPersonForm, RestoreAsForm, SelectedForm};
pub use protected::{NoFields, Protected};
