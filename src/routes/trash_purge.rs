//! `trash_days` (30 by default) and the purge that keeps the trash to it, with no cron job: at
//! launch the trash is emptied of older entries, and a task does it again every hour.
//! Several instances may run it at the same time: each batch is one `DELETE ... WHERE
//! deleted_at < cutoff` (`Person::purge_trash`), so whichever comes second finds nothing left.

use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::tokio::time::{Instant, MissedTickBehavior, interval_at};
use rocket::{Orbit, Rocket};
use rocket_db_pools::Database;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::db::Db;
use crate::models::Person;

/// How long a deleted person stays in the trash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrashDays(pub u32);

impl TrashDays {
    pub const DEFAULT: u32 = 30;

    /// Entries deleted before this (UTC) are purged now.
    fn cutoff(self) -> PrimitiveDateTime {
        let now = OffsetDateTime::now_utc() - time::Duration::days(i64::from(self.0));
        PrimitiveDateTime::new(now.date(), now.time())
    }
}

/// How often the purge runs after the one at launch.
const EVERY: Duration = Duration::from_secs(3600);

pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Trash", |rocket| async {
        let days = match rocket.figment().extract_inner::<u32>("trash_days") {
            Ok(days) => TrashDays(days),
            Err(e) if e.missing() => TrashDays(TrashDays::DEFAULT),
            Err(e) => {
                rocket::error!(
                    "people: cannot start: trash_days must be a whole number of days: {e}"
                );
                return Err(rocket);
            }
        };
        // The first purge runs here, before the app listens (the pool and the migrations are
        // attached before this), so it starts with its trash in order and no request races
        // it; the hourly ones run beside requests, from liftoff. (Awaiting it at liftoff
        // instead would leave the app listening before it handles SIGINT.)
        if let Some(db) = Db::fetch(&rocket) {
            purge(&db.pool(), days).await;
        }
        Ok(rocket
            .manage(days)
            .attach(AdHoc::on_liftoff("Trash purge", |rocket| {
                Box::pin(start(rocket))
            })))
    })
}

async fn start(rocket: &Rocket<Orbit>) {
    let (Some(db), Some(days)) = (Db::fetch(rocket), rocket.state::<TrashDays>()) else {
        return;
    };
    let (pool, days) = (db.pool(), *days);
    let mut shutdown = rocket.shutdown();
    rocket::tokio::spawn(async move {
        let mut ticks = interval_at(Instant::now() + EVERY, EVERY);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            rocket::tokio::select! {
                _ = ticks.tick() => purge(&pool, days).await,
                _ = &mut shutdown => return,
            }
        }
    });
}

async fn purge(pool: &crate::db::PeoplePool, days: TrashDays) {
    let mut conn = match rocket_db_pools::Pool::get(pool).await {
        Ok(conn) => conn,
        Err(e) => return rocket::warn!("trash purge: no connection ({e}); next try in an hour"),
    };
    match Person::purge_trash(&mut conn, days.cutoff()).await {
        Ok(0) => {}
        Ok(n) => rocket::info!("trash purge: deleted {n} people older than {} days", days.0),
        Err(e) => rocket::warn!("trash purge failed ({e}); next try in an hour"),
    }
}
