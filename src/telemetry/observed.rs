//! Route handlers run inside their request's span and database accounting: each route is
//! wrapped once, when it is mounted. The request guards (`Connection<Db>` among them) run
//! inside the handler, so the connection they check out knows whose queries it runs.

use std::sync::Arc;

use rocket::Request;
use rocket::data::Data;
use rocket::route::{Handler, Outcome, Route};
use tracing::Instrument;

use super::context::RequestContext;
use crate::db;

#[derive(Clone)]
struct Observed(Box<dyn Handler>);

#[rocket::async_trait]
impl Handler for Observed {
    async fn handle<'r>(&self, request: &'r Request<'_>, data: Data<'r>) -> Outcome<'r> {
        let context = RequestContext::of(request);
        let work = self
            .0
            .handle(request, data)
            .instrument(context.span.clone());
        db::scope(Arc::clone(&context.db), work).await
    }
}

/// `routes`, each handler wrapped; mount these instead.
pub fn observed(routes: impl Into<Vec<Route>>) -> Vec<Route> {
    routes
        .into()
        .into_iter()
        .map(|mut route| {
            route.handler = Box::new(Observed(route.handler.clone()));
            route
        })
        .collect()
}
