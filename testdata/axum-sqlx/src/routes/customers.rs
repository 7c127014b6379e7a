//! Customer lookups: by an indexed column, and by one no index serves.

use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::db::sql::CUSTOMER_BY_EMAIL;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Lookup {
    email: Option<String>,
    country: Option<String>,
}

#[derive(Serialize, sqlx::FromRow)]
pub struct Customer {
    id: i64,
    email: String,
    display_name: String,
}

pub async fn by_email(State(state): State<AppState>, Query(q): Query<Lookup>) -> Json<Option<Customer>> {
    let customer = sqlx::query_as::<_, Customer>(CUSTOMER_BY_EMAIL) // ok: db/missing-index
        .bind(q.email)
        .fetch_optional(&state.pool)
        .await
        .unwrap();
    Json(customer)
}

pub async fn by_country(State(state): State<AppState>, Query(q): Query<Lookup>) -> Json<Vec<Customer>> {
    let customers = sqlx::query_as!( // expect: db/missing-index:warning
        Customer,
        "SELECT id, email, display_name FROM customers WHERE country = $1 LIMIT 50",
        q.country
    )
    .fetch_all(&state.pool)
    .await
    .unwrap();
    Json(customers)
}
