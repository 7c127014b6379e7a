//! blog-api: users, posts and comments over actix-web and diesel. Every
//! route is behind the bearer check of the `/api` scope and the app-wide
//! rate limiter, so only the database rules have something to say.

mod auth;
mod db;
mod handlers;
mod models;
mod schema;

use actix_governor::{Governor, GovernorConfigBuilder};
use actix_web::{web, App, HttpServer};
use actix_web_httpauth::middleware::HttpAuthentication;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let pool = db::pool(&std::env::var("DATABASE_URL").expect("DATABASE_URL"));
    let limit = GovernorConfigBuilder::default()
        .per_second(10)
        .burst_size(20)
        .finish()
        .unwrap();
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .wrap(Governor::new(&limit))
            .service(
                web::scope("/api")
                    .wrap(HttpAuthentication::bearer(auth::validator))
                    .configure(handlers::configure),
            )
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
