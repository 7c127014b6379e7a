use actix_web::{post, web, HttpResponse};

/// Payment provider callback: no signature check, no authentication.
#[post("/webhooks/payment")]
async fn payment(body: web::Bytes) -> HttpResponse { // expect: api/unauthenticated-endpoint:error
    if body.is_empty() {
        return HttpResponse::BadRequest().finish();
    }
    HttpResponse::Accepted().finish()
}

/// ActivityPub inbox: the federation crate checks the HTTP signature of
/// every activity before handing it over, and rejects unsigned ones.
#[post("/inbox")]
async fn inbox(request: actix_web::HttpRequest, body: web::Bytes) -> actix_web::Result<HttpResponse> { // ok: api/unauthenticated-endpoint
    activitypub_federation::actix_web::inbox::receive_activity::<Activity, Actor>(request, body).await
}

/// Same name, but the project's own function: it only queues the body.
#[post("/relay")]
async fn relay(body: web::Bytes) -> HttpResponse { // expect: api/unauthenticated-endpoint:error
    queue::receive_activity(&body);
    HttpResponse::Accepted().finish()
}

mod queue {
    pub fn receive_activity(body: &[u8]) -> usize {
        body.len()
    }
}
