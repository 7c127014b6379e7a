use axum::{extract::Request, http::StatusCode, middleware::Next, response::Response};

pub async fn require_auth(req: Request, next: Next) -> Result<Response, StatusCode> {
    match req.headers().get("authorization") {
        Some(_) => Ok(next.run(req).await),
        None => Err(StatusCode::UNAUTHORIZED),
    }
}
