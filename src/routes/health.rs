//! `/health`, for load balancers and supervisors: 200 when the database answers a query,
//! 503 when it does not. It takes the pool directly rather than the `Connection` guard, so a
//! failure is this route's JSON answer and not the HTML error page.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, get, routes};
use rocket_db_pools::Pool;
use serde::Serialize;

use crate::db::Db;

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    database: &'static str,
}

pub fn routes() -> Vec<Route> {
    routes![health]
}

#[get("/health")]
async fn health(db: &Db) -> (Status, Json<Health>) {
    let answered = match db.get().await {
        Ok(mut conn) => conn.ping().await.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match answered {
        Ok(()) => (
            Status::Ok,
            Json(Health {
                status: "ok",
                database: "up",
            }),
        ),
        Err(reason) => {
            rocket::warn!("health: database not answering: {reason}");
            (
                Status::ServiceUnavailable,
                Json(Health {
                    status: "unavailable",
                    database: "down",
                }),
            )
        }
    }
}
