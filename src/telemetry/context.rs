//! What the app keeps about a request while it is served: when it started, its span (which
//! carries its id into every line logged about it) and what its queries cost.

use std::sync::Arc;
use std::time::Instant;

use rocket::Request;
use tracing::Span;

use crate::db::DbUsage;
use crate::request_id::RequestId;

pub struct RequestContext {
    pub started: Instant,
    pub span: Span,
    pub db: Arc<DbUsage>,
}

impl RequestContext {
    /// Made the first time it is asked for (by the request fairing, as the request arrives).
    pub fn of<'r>(request: &'r Request<'_>) -> &'r Self {
        request.local_cache(|| {
            let id = RequestId::of(request);
            // At ERROR level so that it is enabled whenever anything is logged at all: a
            // warning about this request carries its id even with `log_level = "critical"`.
            let span = tracing::error_span!("request", request_id = %id);
            Self {
                started: Instant::now(),
                db: Arc::new(DbUsage::new(span.clone())),
                span,
            }
        })
    }
}
