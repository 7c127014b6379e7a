use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

pub async fn require_auth(State(state): State<AppState>, req: Request, next: Next) -> Result<Response, StatusCode> {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(StatusCode::UNAUTHORIZED)?;
    crate::auth::handlers::decode_token(&state.jwt_secret, token).map_err(|_| StatusCode::UNAUTHORIZED)?;
    Ok(next.run(req).await)
}

/// Operations endpoints: a shared admin token in `x-admin-token`.
pub async fn admin_guard(req: Request, next: Next) -> Result<Response, StatusCode> {
    let expected = std::env::var("ADMIN_TOKEN").map_err(|_| StatusCode::FORBIDDEN)?;
    match req.headers().get("x-admin-token").and_then(|v| v.to_str().ok()) {
        Some(t) if t == expected => Ok(next.run(req).await),
        _ => Err(StatusCode::FORBIDDEN),
    }
}
