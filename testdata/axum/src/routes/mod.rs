//! The `/api` router, assembled from one router per resource.

mod admin;
mod catalog;
mod orders;
mod users;

use axum::Router;

use crate::state::AppState;

pub fn api_router(state: AppState) -> Router<AppState> {
    let v1 = Router::new()
        .nest("/users", users::router())
        .nest("/orders", orders::router(state.clone()))
        .nest("/admin", admin::router())
        .merge(catalog::router());
    Router::new().nest("/v1", v1)
}
