//! Errors as operators need to read them: most drivers keep the cause ("Connection refused")
//! in `source()` and leave it out of `Display`.

/// An error with its causes: "error connecting to server: Connection refused (os error 111)".
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
