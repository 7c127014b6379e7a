//! shop-sqlx: an axum service on sqlx, with a reporting module on tokio-postgres.

mod auth;
mod db;
mod reports;
mod routes;
mod state;

use std::sync::Arc;

use axum::middleware;
use axum::Router;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;

use state::AppState;

fn app(state: AppState) -> Router {
    let governor = Arc::new(GovernorConfigBuilder::default().per_second(20).finish().unwrap());
    Router::new()
        .nest("/api", routes::router())
        .merge(reports::router())
        .route_layer(middleware::from_fn(auth::require_auth))
        .layer(GovernorLayer { config: governor })
        .with_state(state)
}

#[tokio::main]
async fn main() {
    let pool = sqlx::PgPool::connect(&std::env::var("DATABASE_URL").unwrap()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app(AppState { pool })).await.unwrap();
}
