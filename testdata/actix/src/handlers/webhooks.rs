use actix_web::{post, web, HttpResponse};

/// Payment provider callback: no signature check, no authentication.
#[post("/webhooks/payment")]
async fn payment(body: web::Bytes) -> HttpResponse { // expect: api/unauthenticated-endpoint:error
    if body.is_empty() {
        return HttpResponse::BadRequest().finish();
    }
    HttpResponse::Accepted().finish()
}
