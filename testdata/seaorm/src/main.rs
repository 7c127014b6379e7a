//! notes-api: users, notes and comments over axum and sea-orm. The API
//! router requires a bearer token and is rate limited, so only the
//! database rules have something to say.

mod auth;
mod entity;
mod handlers;

use std::sync::Arc;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use sea_orm::{Database, DatabaseConnection};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
}

fn app(state: AppState) -> Router {
    let governor = Arc::new(GovernorConfigBuilder::default().finish().unwrap());
    Router::new()
        .route("/users", get(handlers::users::list_users).post(handlers::users::create_user))
        .route("/users/page/:n", get(handlers::users::users_page))
        .route("/users/by-email/:email", get(handlers::users::by_email))
        .route("/users/:id", get(handlers::users::by_id).delete(handlers::users::delete_user))
        .route("/notes/by-title/:title", get(handlers::notes::by_title))
        .route("/notes/recent", get(handlers::notes::recent))
        .route("/notes/search", get(handlers::notes::search))
        .route("/notes/with-comments", get(handlers::notes::with_comments))
        .route("/notes/with-comments/batched", get(handlers::notes::with_comments_batched))
        .route("/notes/related", get(handlers::notes::with_comments_related))
        .route("/notes/:id/comments", post(handlers::notes::add_comment))
        .route("/notes/:id/thread", get(handlers::notes::thread))
        .route_layer(middleware::from_fn(auth::require_auth))
        .layer(GovernorLayer { config: governor })
        .with_state(state)
}

#[tokio::main]
async fn main() {
    let db = Database::connect(std::env::var("DATABASE_URL").unwrap()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app(AppState { db })).await.unwrap();
}
