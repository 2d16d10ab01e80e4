//! `CsvUpload`: the data guard of the import form, which is `multipart/form-data` (it sends a
//! file) and may be megabytes, so `Protected` (small URL-encoded forms) cannot read it. The
//! same order of checks: the body within its limit (413), the CSRF check of `csrf` (403),
//! only our fields, once each (400), then what was sent. Reading a file as CSV is not
//! done here: `csv_file` does that, for the API too.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rocket::data::{ByteUnit, Data, FromData, Outcome};
use rocket::http::Status;
use rocket::request::{self, FromRequest, Request};

use super::csrf::{self, CsrfRefusal};

/// The import's limits: settings `limits.import` (bytes, default 5 MiB) and
/// `import_max_rows` (default 100,000).
#[derive(Debug, Clone, Copy)]
pub struct ImportLimits {
    pub max_bytes: ByteUnit,
    pub max_rows: usize,
}

impl ImportLimits {
    pub const DEFAULT_BYTES: ByteUnit = ByteUnit::Mebibyte(5);
    pub const DEFAULT_ROWS: usize = 100_000;

    pub fn of(request: &Request<'_>) -> Self {
        Self {
            max_bytes: request
                .limits()
                .get("import")
                .unwrap_or(Self::DEFAULT_BYTES),
            max_rows: request
                .rocket()
                .figment()
                .extract_inner("import_max_rows")
                .unwrap_or(Self::DEFAULT_ROWS),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ImportLimits {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        request::Outcome::Success(Self::of(request))
    }
}

/// What the import form sent: a file to preview, or a previewed file to import.
#[derive(Debug)]
pub enum ImportForm {
    Preview {
        file: Vec<u8>,
    },
    /// The file as the preview page carried it back, and the preview's plan fingerprint.
    Confirm {
        file: Vec<u8>,
        expected: String,
    },
}

pub struct CsvUpload(pub ImportForm);

/// The form's fields (besides the token): `file` on the upload form; `csv` (the previewed
/// file, base64) and `expected` on the preview's Confirm form.
const FILE: &str = "file";
const PREVIEWED: &str = "csv";
const EXPECTED: &str = "expected";

/// Room for the token, the field headers and the boundaries around the file.
const OVERHEAD: ByteUnit = ByteUnit::Kibibyte(64);

#[derive(Debug, thiserror::Error)]
pub enum UploadRefusal {
    #[error("the import form must be sent as multipart/form-data")]
    NotMultipart,
    #[error("the file is larger than the import limit")]
    TooLarge,
    #[error(transparent)]
    Forged(#[from] CsrfRefusal),
    #[error("the form could not be read: {0}")]
    Unreadable(String),
}

impl UploadRefusal {
    fn status(&self) -> Status {
        match self {
            Self::NotMultipart => Status::UnsupportedMediaType,
            Self::TooLarge => Status::PayloadTooLarge,
            Self::Forged(_) => Status::Forbidden,
            Self::Unreadable(_) => Status::BadRequest,
        }
    }
}

impl From<multer::Error> for UploadRefusal {
    fn from(error: multer::Error) -> Self {
        match error {
            multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => {
                Self::TooLarge
            }
            error => Self::Unreadable(error.to_string()),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromData<'r> for CsvUpload {
    type Error = UploadRefusal;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        match read(request, data).await {
            Ok(form) => Outcome::Success(Self(form)),
            Err(refusal) => {
                rocket::warn!("{} {}: refused: {refusal}", request.method(), request.uri());
                Outcome::Error((refusal.status(), refusal))
            }
        }
    }
}

async fn read(request: &Request<'_>, data: Data<'_>) -> Result<ImportForm, UploadRefusal> {
    let boundary = request
        .content_type()
        .filter(|ct| ct.is_form_data())
        .and_then(|ct| ct.param("boundary"))
        .ok_or(UploadRefusal::NotMultipart)?;
    let max = ImportLimits::of(request).max_bytes;
    // The Confirm form carries the file as base64: a third larger.
    let max_field = max.as_u64() / 3 * 4 + 4;
    let max_body = max_field + OVERHEAD.as_u64();
    let constraints = multer::Constraints::new()
        .allowed_fields(vec![csrf::FIELD, FILE, PREVIEWED, EXPECTED])
        .size_limit(
            multer::SizeLimit::new()
                .whole_stream(max_body)
                .for_field(FILE, max.as_u64())
                .for_field(PREVIEWED, max_field)
                .for_field(csrf::FIELD, 1024)
                .for_field(EXPECTED, 1024),
        );
    // One byte beyond the limit, so that multer sees the body is too large (at exactly the
    // limit it would see a body cut short).
    let body = data.open(ByteUnit::from(max_body + 1));
    let mut multipart =
        multer::Multipart::with_reader_with_constraints(body, boundary, constraints);
    let mut fields: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        if fields.iter().any(|(seen, _)| *seen == name) {
            return Err(UploadRefusal::Unreadable(format!(
                "the field {name} was sent more than once"
            )));
        }
        let bytes = field.bytes().await?;
        fields.push((name, bytes.to_vec()));
    }
    let mut take = |name: &str| {
        fields
            .iter()
            .position(|(seen, _)| seen == name)
            .map(|i| fields.swap_remove(i).1)
    };
    let token = take(csrf::FIELD);
    let token = token.as_deref().and_then(|t| std::str::from_utf8(t).ok());
    csrf::verify(request, token)?;
    match (take(FILE), take(PREVIEWED), take(EXPECTED)) {
        (Some(file), None, None) => Ok(ImportForm::Preview { file }),
        (None, Some(previewed), Some(expected)) => Ok(ImportForm::Confirm {
            file: BASE64
                .decode(previewed)
                .map_err(|_| damaged("the previewed file"))?,
            expected: String::from_utf8(expected).map_err(|_| damaged("the preview's summary"))?,
        }),
        _ => Err(UploadRefusal::Unreadable(
            "send either a file, or a previewed file and its summary".into(),
        )),
    }
}

fn damaged(what: &str) -> UploadRefusal {
    UploadRefusal::Unreadable(format!("{what} was damaged; upload the file again"))
}

/// The file as the preview page carries it in its Confirm form.
pub fn previewed_field(file: &[u8]) -> String {
    BASE64.encode(file)
}
