//! ledger-api: accounts and transfers over actix-web.

mod auth;
mod db;
mod handlers;
mod routes;

use actix_governor::{Governor, GovernorConfigBuilder};
use actix_web::middleware::Logger;
use actix_web::{web, App, HttpServer};

use handlers::{auth as auth_handlers, health};

/// Operations endpoints, in an inline module.
mod ops {
    use actix_web::{post, HttpResponse};

    #[post("/ops/reindex")]
    pub async fn reindex() -> HttpResponse { // expect: api/unauthenticated-endpoint:error
        HttpResponse::Accepted().finish()
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let pool = db::connect(&std::env::var("DATABASE_URL").expect("DATABASE_URL")).await;
    let login_limit = GovernorConfigBuilder::default()
        .per_second(2)
        .burst_size(5)
        .finish()
        .unwrap();
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .wrap(Logger::default())
            .service(health::health)
            .service(ops::reindex)
            .service(
                web::scope("/auth")
                    .wrap(Governor::new(&login_limit))
                    .service(auth_handlers::login)
                    .service(auth_handlers::logout),
            )
            .route("/auth/register", web::post().to(auth_handlers::register))
            .route("/api/v1/login", web::post().to(auth_handlers::legacy_login))
            .configure(routes::api)
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
