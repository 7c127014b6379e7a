//! `/public` and `/internal`.

use actix_web::{get, post, HttpRequest, HttpResponse};

#[get("/rates")]
async fn list_rates() -> HttpResponse { // expect: api/unauthenticated-endpoint:note
    HttpResponse::Ok().json([("EUR", 1.0), ("USD", 1.08)])
}

pub async fn clear_cache() -> HttpResponse { // expect: api/unauthenticated-endpoint:error
    HttpResponse::NoContent().finish()
}

pub async fn echo(req: HttpRequest) -> HttpResponse { // expect: api/unauthenticated-endpoint:note
    HttpResponse::Ok().body(req.path().to_owned())
}

/// Behind the `/internal` API-key check (`wrap_fn`).
#[post("/reindex")]
async fn reindex() -> HttpResponse { // ok: api/unauthenticated-endpoint
    HttpResponse::Accepted().finish()
}
