//! The one-time message shown after a save.

use rocket::request::FlashMessage;

/// A flash message ready for the layout. Reading a `FlashMessage` consumes its cookie, so a
/// message is shown once.
pub struct FlashView {
    pub message: String,
    is_error: bool,
}

impl FlashView {
    /// A fixed class, whatever kind the cookie claims: the cookie is client-controlled.
    pub fn css_class(&self) -> &'static str {
        if self.is_error {
            "flash flash-error"
        } else {
            "flash flash-success"
        }
    }
}

impl From<FlashMessage<'_>> for FlashView {
    fn from(flash: FlashMessage<'_>) -> Self {
        Self {
            is_error: flash.kind() == "error",
            message: flash.message().to_owned(),
        }
    }
}
