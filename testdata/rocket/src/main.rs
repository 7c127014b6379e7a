//! blog-api: posts, comments and accounts over rocket.

#[macro_use]
extern crate rocket;

mod db;
mod guards;
mod routes;

use rocket_db_pools::Database;

use routes::{admin, auth, health, posts};

/// The public feed, in an inline module.
mod feeds {
    #[get("/feed.xml")]
    pub fn rss() -> &'static str { // expect: api/unauthenticated-endpoint:note
        "<rss/>"
    }
}

#[launch]
fn rocket() -> _ {
    rocket::build()
        .attach(db::Blog::init())
        // The probe is mounted twice; both are public by path.
        .mount("/", routes![health::health])
        .mount("/api", routes![health::health])
        .mount("/", routes![feeds::rss])
        .mount("/api", posts::routes())
        .mount("/api/public", posts::public_routes())
        .mount("/auth", auth::routes())
        .mount("/admin", routes![admin::login, admin::dashboard, admin::stats, admin::delete_user])
}
