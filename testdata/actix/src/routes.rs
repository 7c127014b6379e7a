//! The `/api` services, registered through `App::configure`.

use actix_limitation::RateLimiter;
use actix_web::dev::Service;
use actix_web::error::ErrorUnauthorized;
use actix_web::web;
use actix_web_httpauth::middleware::HttpAuthentication;
use futures_util::future::{ready, Either};

use crate::auth::validator;
use crate::handlers::{accounts, admin, public, transfers, webhooks};

pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .service(accounts_scope())
            .service(transfers_scope())
            .service(admin_scope())
            .service(webhooks::payment)
            .service(webhooks::inbox)
            .service(webhooks::relay),
    );
    public_routes(cfg);
}

fn accounts_scope() -> actix_web::Scope {
    web::scope("/accounts")
        .service(accounts::list_accounts)
        .service(accounts::open_account)
        .service(accounts::currencies)
        .service(accounts::get_account)
}

fn transfers_scope() -> actix_web::Scope {
    // The wrap comes after the first service: in actix it still covers it.
    web::scope("/transfers")
        .service(transfers::create_transfer)
        .wrap(HttpAuthentication::bearer(validator))
        .wrap(RateLimiter::default())
        .service(transfers::get_transfer)
        .service(web::resource("/{id}/cancel").route(web::post().to(transfers::cancel_transfer)))
}

fn admin_scope() -> actix_web::Scope {
    web::scope("/admin").service((admin::audit_log, admin::purge_audit))
}

fn public_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/public")
            .service(public::list_rates)
            .service(web::resource("/cache").route(web::delete().to(public::clear_cache)))
            .service(web::resource("/echo").to(public::echo)),
    )
    .service(
        web::scope("/internal")
            .wrap_fn(|req, srv| {
                let key = req.headers().get("x-api-key").and_then(|v| v.to_str().ok());
                if key != Some(env!("INTERNAL_API_KEY")) {
                    return Either::Left(ready(Err(ErrorUnauthorized("bad api key"))));
                }
                Either::Right(srv.call(req))
            })
            .service(public::reindex),
    );
}
