//! `/users`: lists with and without a bound, an indexed lookup, writes.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use sea_orm::*;

use super::internal;
use crate::entity::prelude::*;
use crate::entity::users;
use crate::AppState;

// Every user, in one response.
pub async fn list_users(State(state): State<AppState>) -> Result<Json<Vec<users::Model>>, StatusCode> {
    let rows = Users::find().order_by_asc(users::Column::Name).all(&state.db).await.map_err(internal)?; // expect: db/unbounded-query:warning
    Ok(Json(rows))
}

// One page at a time.
pub async fn users_page(State(state): State<AppState>, Path(n): Path<u64>) -> Result<Json<Vec<users::Model>>, StatusCode> {
    let pages = Users::find().order_by_asc(users::Column::Id).paginate(&state.db, 50); // ok: db/unbounded-query
    let rows = pages.fetch_page(n).await.map_err(internal)?;
    Ok(Json(rows))
}

// `email` is unique: its index serves the lookup.
pub async fn by_email(State(state): State<AppState>, Path(email): Path<String>) -> Result<Json<Option<users::Model>>, StatusCode> {
    let user = users::Entity::find().filter(users::Column::Email.eq(email)).one(&state.db).await.map_err(internal)?; // ok: db/missing-index
    Ok(Json(user))
}

pub async fn by_id(State(state): State<AppState>, Path(id): Path<i32>) -> Result<Json<Option<users::Model>>, StatusCode> {
    Users::find_by_id(id).one(&state.db).await.map(Json).map_err(internal) // ok: db/missing-index
}

#[derive(serde::Deserialize)]
pub struct NewUser {
    email: String,
    name: String,
}

pub async fn create_user(State(state): State<AppState>, Json(u): Json<NewUser>) -> Result<StatusCode, StatusCode> {
    users::ActiveModel {
        email: Set(u.email),
        name: Set(u.name),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .map_err(internal)?;
    Ok(StatusCode::CREATED)
}

pub async fn delete_user(State(state): State<AppState>, Path(id): Path<i32>) -> Result<StatusCode, StatusCode> {
    Users::delete_by_id(id).exec(&state.db).await.map_err(internal)?; // ok: db/missing-index
    Ok(StatusCode::NO_CONTENT)
}
