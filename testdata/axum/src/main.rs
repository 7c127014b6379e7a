//! shop-api: a small axum service (users, orders, catalog, admin).

mod app;
mod auth;
mod db;
mod error;
mod routes;
mod state;

use std::net::SocketAddr;

use state::AppState;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let pool = db::connect(&std::env::var("DATABASE_URL")?).await?;
    let state = AppState::new(pool, std::env::var("JWT_SECRET")?);
    let app = app::build(state);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([0, 0, 0, 0], 3000))).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
