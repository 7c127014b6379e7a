//! `/api/comments`: an indexed lookup, a delete by an unindexed range, an insert.

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbPool;
use crate::models::Comment;
use crate::schema::comments::dsl::*;

type Res = actix_web::Result<HttpResponse>;

// `post_id` is indexed (and the page is bounded).
#[get("/posts/{id}/comments")]
async fn for_post(pool: web::Data<DbPool>, path: web::Path<i32>) -> Res {
    let mut conn = pool.get().map_err(actix_web::error::ErrorInternalServerError)?;
    let rows = comments.filter(post_id.eq(path.into_inner())).order(created_at.desc()).limit(100).load::<Comment>(&mut conn).map_err(actix_web::error::ErrorInternalServerError)?; // ok: db/missing-index, db/unbounded-query
    Ok(HttpResponse::Ok().json(rows))
}

#[derive(Deserialize)]
pub struct Cutoff {
    before: NaiveDateTime,
}

// No index on `created_at`: the delete reads every comment.
#[delete("/comments/old")]
async fn purge_old(pool: web::Data<DbPool>, q: web::Query<Cutoff>) -> Res {
    let mut conn = pool.get().map_err(actix_web::error::ErrorInternalServerError)?;
    let n = diesel::delete(comments.filter(created_at.lt(q.before))).execute(&mut conn).map_err(actix_web::error::ErrorInternalServerError)?; // expect: db/missing-index:warning
    Ok(HttpResponse::Ok().json(n))
}

#[derive(Deserialize)]
pub struct NewComment {
    post: i32,
    text: String,
}

#[post("/comments")]
async fn create(pool: web::Data<DbPool>, c: web::Json<NewComment>) -> Res {
    let mut conn = pool.get().map_err(actix_web::error::ErrorInternalServerError)?;
    diesel::insert_into(comments).values((post_id.eq(c.post), body.eq(&c.text))).execute(&mut conn).map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(HttpResponse::Created().finish())
}
