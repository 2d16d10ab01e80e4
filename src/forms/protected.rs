//! `Protected<T>`: the data guard of every state-changing HTML form. It reads the body within
//! the `form` limit and `body_timeout` (413, 408), refuses forged requests (403) and fields
//! the form does not have (400),
//! and only then parses `T` with field errors kept (`Contextual`), so a forged or malformed
//! request never reaches validation, let alone the database.

use rocket::data::{Data, FromData, Outcome};
use rocket::form::{self, Contextual, DataField, Form, FromForm, Options, ValueField};
use rocket::http::{RawStr, Status};
use rocket::request::Request;

use super::body::{BodyError, read_body};
use super::csrf::{self, CsrfRefusal};

/// The fields a form may send besides `_method` and the CSRF token.
pub trait KnownFields {
    const FIELDS: &'static [&'static str];
    /// Of `FIELDS`, the ones sent once per value (a checkbox per row, an Undo's ids).
    const REPEATABLE: &'static [&'static str] = &[];
}

pub struct Protected<'r, T>(pub Contextual<'r, T>);

#[derive(Debug, thiserror::Error)]
pub enum FormRefusal {
    #[error("forms must be sent as application/x-www-form-urlencoded")]
    NotAForm,
    #[error("the form could not be read: {0}")]
    Body(#[from] BodyError),
    #[error("the form could not be read: {0}")]
    Unreadable(std::io::Error),
    #[error(transparent)]
    Forged(#[from] CsrfRefusal),
    #[error("the form sent a field it does not have: {0}")]
    UnknownField(String),
    #[error("the form sent the field {0} more than once")]
    RepeatedField(String),
}

impl FormRefusal {
    fn status(&self) -> Status {
        match self {
            Self::NotAForm => Status::UnsupportedMediaType,
            Self::Body(BodyError::TooLarge) => Status::PayloadTooLarge,
            Self::Body(BodyError::TimedOut(_)) => Status::RequestTimeout,
            Self::Body(BodyError::Unreadable(_)) => Status::BadRequest,
            Self::Unreadable(_) | Self::UnknownField(_) | Self::RepeatedField(_) => {
                Status::BadRequest
            }
            Self::Forged(_) => Status::Forbidden,
        }
    }
}

/// The body's fields, URL-decoded as Rocket's own form parser does, kept for the request's
/// lifetime so the parsed form can borrow from them.
struct DecodedFields(Vec<(String, String)>);

impl DecodedFields {
    fn parse(body: &str) -> Self {
        let decode = |text: &str| RawStr::new(text).url_decode_lossy().into_owned();
        Self(
            body.split('&')
                .filter(|field| !field.is_empty())
                .map(|field| {
                    let (name, value) = field.split_once('=').unwrap_or((field, ""));
                    (decode(name), decode(value))
                })
                .collect(),
        )
    }
}

#[rocket::async_trait]
impl<'r, T: FromForm<'r> + KnownFields> FromData<'r> for Protected<'r, T> {
    type Error = FormRefusal;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        match read(request, data).await {
            Ok(form) => Outcome::Success(form),
            Err(refusal) => {
                rocket::warn!("{} {}: refused: {refusal}", request.method(), request.uri());
                Outcome::Error((refusal.status(), refusal))
            }
        }
    }
}

async fn read<'r, T: FromForm<'r> + KnownFields>(
    request: &'r Request<'_>,
    data: Data<'r>,
) -> Result<Protected<'r, T>, FormRefusal> {
    if !request.content_type().is_some_and(|ct| ct.is_form()) {
        return Err(FormRefusal::NotAForm);
    }
    let body = read_body(request, data, "form").await?;
    let decoded = request.local_cache(|| DecodedFields::parse(&body));
    let fields: Vec<ValueField<'r>> = decoded
        .0
        .iter()
        .map(|(name, value)| ValueField::from((name.as_str(), value.as_str())))
        .collect();
    let sent_token = fields
        .iter()
        .find(|f| f.name.source().as_str() == csrf::FIELD);
    csrf::verify(request, sent_token.map(|f| f.value))?;
    let unknown = fields
        .iter()
        .map(|f| f.name.source().as_str())
        .find(|name| !["_method", csrf::FIELD].contains(name) && !T::FIELDS.contains(name));
    if let Some(name) = unknown {
        return Err(FormRefusal::UnknownField(name.to_owned()));
    }
    // Rocket keeps the first of repeated values; which one a sender meant is anyone's guess.
    let mut names: Vec<&str> = fields
        .iter()
        .map(|f| f.name.source().as_str())
        .filter(|name| !T::REPEATABLE.contains(name))
        .collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(FormRefusal::RepeatedField(pair[0].to_owned()));
    }
    // Contextual never fails: field errors stay in its context for the form to show.
    let form = Form::<Contextual<'r, T>>::parse_iter(fields)
        .map_err(|e| FormRefusal::Unreadable(std::io::Error::other(e.to_string())))?;
    Ok(Protected(form))
}

/// A form with nothing to say but its token (the delete button).
pub struct NoFields;

impl KnownFields for NoFields {
    const FIELDS: &'static [&'static str] = &[];
}

#[rocket::async_trait]
impl<'r> FromForm<'r> for NoFields {
    type Context = ();

    fn init(_: Options) -> Self::Context {}

    fn push_value(_: &mut Self::Context, _: ValueField<'r>) {}

    async fn push_data(_: &mut Self::Context, _: DataField<'r, '_>) {}

    fn finalize(_: Self::Context) -> form::Result<'r, Self> {
        Ok(NoFields)
    }
}
