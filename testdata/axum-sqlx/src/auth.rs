//! Every route needs the service token.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

pub async fn require_auth(req: Request, next: Next) -> Result<Response, StatusCode> {
    let expected = std::env::var("SERVICE_TOKEN").map_err(|_| StatusCode::UNAUTHORIZED)?;
    match req.headers().get("x-service-token").and_then(|v| v.to_str().ok()) {
        Some(t) if t == expected => Ok(next.run(req).await),
        _ => Err(StatusCode::UNAUTHORIZED),
    }
}
