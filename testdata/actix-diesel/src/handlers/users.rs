//! `/api/users`: lookups on indexed and unindexed columns, lists with and
//! without a bound.

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbPool;
use crate::models::User;
use crate::schema::users::dsl::*;

#[derive(Deserialize)]
pub struct ByEmail {
    email: String,
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

// `email` is UNIQUE: its index serves the lookup.
#[get("/users/by-email")]
async fn by_email(pool: web::Data<DbPool>, q: web::Query<ByEmail>) -> actix_web::Result<HttpResponse> {
    let mut conn = pool.get().map_err(actix_web::error::ErrorInternalServerError)?;
    let user = users.filter(email.eq(&q.email)).first::<User>(&mut conn).optional().map_err(actix_web::error::ErrorInternalServerError)?; // ok: db/missing-index
    Ok(HttpResponse::Ok().json(user))
}

// `name` has no index: every search reads the whole table.
#[get("/users/search/{name}")]
async fn search(pool: web::Data<DbPool>, path: web::Path<String>) -> actix_web::Result<HttpResponse> {
    let wanted = path.into_inner();
    let found = web::block(move || {
        let mut conn = pool.get().expect("connection");
        users.filter(name.eq(wanted)).limit(20).load::<User>(&mut conn) // expect: db/missing-index:warning
    })
    .await?
    .map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok().json(found))
}

// Every user, in one response.
#[get("/users")]
async fn list_users(pool: web::Data<DbPool>) -> actix_web::Result<HttpResponse> {
    let mut conn = pool.get().map_err(actix_web::error::ErrorInternalServerError)?;
    let rows = users.order(created_at.desc()).load::<User>(&mut conn).map_err(actix_web::error::ErrorInternalServerError)?; // expect: db/unbounded-query:warning
    Ok(HttpResponse::Ok().json(rows))
}

// The same list, one page: sorted by the primary key.
#[get("/users/recent")]
async fn recent_users(pool: web::Data<DbPool>) -> actix_web::Result<HttpResponse> {
    let mut conn = pool.get().map_err(actix_web::error::ErrorInternalServerError)?;
    let rows = users.order(id.desc()).limit(50).load::<User>(&mut conn).map_err(actix_web::error::ErrorInternalServerError)?; // ok: db/unbounded-query, db/missing-index
    Ok(HttpResponse::Ok().json(rows))
}

// `lower(email)` is an expression no plain index serves, but whether an
// expression index exists is for the schema to say: silent.
#[get("/users/by-email-ci")]
async fn by_email_ci(pool: web::Data<DbPool>, q: web::Query<ByEmail>) -> actix_web::Result<HttpResponse> {
    let mut conn = pool.get().map_err(actix_web::error::ErrorInternalServerError)?;
    let user = users.filter(lower(email).eq(q.email.to_lowercase())).first::<User>(&mut conn).optional().map_err(actix_web::error::ErrorInternalServerError)?; // ok: db/missing-index
    Ok(HttpResponse::Ok().json(user))
}

#[derive(Deserialize)]
pub struct Ids {
    ids: Vec<i32>,
}

// One query per id, from an iterator closure.
#[get("/users/by-ids")]
async fn users_by_ids(pool: web::Data<DbPool>, q: web::Json<Ids>) -> actix_web::Result<HttpResponse> {
    let mut conn = pool.get().map_err(actix_web::error::ErrorInternalServerError)?;
    let found: Vec<User> = q
        .ids
        .iter()
        .filter_map(|uid| users.find(uid).first::<User>(&mut conn).ok()) // expect: db/n-plus-one:warning
        .collect();
    Ok(HttpResponse::Ok().json(found))
}
