//! The `/api` router.

mod customers;
mod orders;
mod products;
mod search;

use axum::routing::get;
use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/customers/by-email", get(customers::by_email))
        .route("/customers/by-country", get(customers::by_country))
        .route("/customers/:id/orders", get(orders::of_customer))
        .route("/orders/by-status", get(orders::by_status))
        .route("/customers/:id/orders/lines", get(orders::order_lines))
        .route("/customers/:id/orders/items", get(orders::order_items))
        .route("/customers/:id/orders/counts", get(orders::status_counts))
        .route("/products", get(products::all))
        .route("/products/page", get(products::page))
        .route("/products/count", get(products::count))
        .route("/products/by-sku", get(products::by_sku))
        .route("/search", get(search::search))
        .route("/search/sorted", get(search::sorted))
        .route("/search/filter", get(search::filter))
        .route("/search/bound", get(search::bound))
        .route("/search/export", get(search::export))
}
