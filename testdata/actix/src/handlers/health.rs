use actix_web::{get, HttpResponse};

#[get("/health")]
async fn health() -> HttpResponse { // ok: api/unauthenticated-endpoint
    HttpResponse::Ok().body("ok")
}

/// Left over from debugging and never registered: actix does not serve it.
#[get("/debug/vars")]
async fn debug_vars() -> HttpResponse { // ok: api/unauthenticated-endpoint
    HttpResponse::Ok().body(format!("{:?}", std::env::vars().collect::<Vec<_>>()))
}
