//! The request fairing: starts each request's context as it arrives; as the response leaves,
//! puts the request id on it (errors and catchers included), logs the request's one line,
//! and counts it in the metrics.

use std::sync::Arc;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Data, Request, Response};

use super::context::RequestContext;
use super::prometheus::Metrics;
use crate::db::millis;
use crate::request_id::RequestId;

pub struct RequestLog {
    /// `None` when metrics are off: then nothing is recorded.
    pub metrics: Option<Arc<Metrics>>,
}

#[rocket::async_trait]
impl Fairing for RequestLog {
    fn info(&self) -> Info {
        Info {
            name: "Request ids, log lines and metrics",
            kind: Kind::Request | Kind::Response,
        }
    }

    async fn on_request(&self, request: &mut Request<'_>, _data: &mut Data<'_>) {
        RequestContext::of(request);
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        let context = RequestContext::of(request);
        let elapsed = context.started.elapsed();
        response.set_raw_header(RequestId::HEADER, RequestId::of(request).to_string());
        // The pattern (`/people/<id>`), not the path: it names what was asked for.
        let route =
            crate::http_methods::matched_route(request).map(|r| r.uri.origin.path().as_str());
        let status = response.status().code;
        context.span.in_scope(|| {
            tracing::info!(
                target: "people::request",
                client = request.client_ip().map(tracing::field::display),
                method = request.method().as_str(),
                route,
                path = request.uri().path().as_str(),
                status,
                duration_ms = millis(elapsed),
                db_ms = millis(context.db.time()),
                db_queries = context.db.queries(),
                "request"
            );
        });
        if let Some(metrics) = &self.metrics {
            metrics.record_request(request.method(), route, status, elapsed, &context.db);
        }
    }
}
