mod auth;
mod handlers;

use axum::{middleware, routing::{get, post}, Router};
use tower_governor::GovernorLayer;

fn api() -> Router {
    Router::new()
        .route("/accounts", get(handlers::accounts::list).post(handlers::accounts::create))  // related: api/missing-rate-limit
        .route("/accounts/:id", get(handlers::accounts::show))
        .route_layer(middleware::from_fn(auth::require_auth))  // related: api/unauthenticated-endpoint
        .route("/accounts/:id/export", post(handlers::accounts::export))  // related: api/unauthenticated-endpoint
}

#[tokio::main]
async fn main() {
    // The governor layer covers the routes added before it: /health and
    // /login, but not the API nested after it, nor /signup.
    let app = Router::new()
        .route("/health", get(handlers::health))
        .route("/login", post(handlers::login))
        .layer(GovernorLayer::default())
        .nest("/api", api())
        .route("/signup", post(handlers::signup));  // related: api/missing-rate-limit
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
