//! `/api/posts`: a foreign key without an index, a join, N+1 loops and
//! their batched versions.

use std::collections::HashMap;

use actix_web::{get, post, web, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::{self, DbPool};
use crate::models::{Comment, Post, User};
use crate::schema::{comments, posts, users};

type Res = actix_web::Result<HttpResponse>;

fn internal<E: std::fmt::Debug + std::fmt::Display + 'static>(e: E) -> actix_web::Error {
    actix_web::error::ErrorInternalServerError(e)
}

// `posts.author_id` has no index (see its migration).
#[get("/authors/{id}/posts")]
async fn by_author(pool: web::Data<DbPool>, path: web::Path<i32>) -> Res {
    let mut conn = pool.get().map_err(internal)?;
    let rows = posts::table.filter(posts::author_id.eq(path.into_inner())).order(posts::created_at.desc()).limit(20).load::<Post>(&mut conn).map_err(internal)?; // expect: db/missing-index:warning
    Ok(HttpResponse::Ok().json(rows))
}

// `slug` has a unique index.
#[get("/posts/{slug}")]
async fn by_slug(pool: web::Data<DbPool>, path: web::Path<String>) -> Res {
    let mut conn = pool.get().map_err(internal)?;
    let post = posts::table.filter(posts::slug.eq(path.into_inner())).first::<Post>(&mut conn).map_err(internal)?; // ok: db/missing-index
    Ok(HttpResponse::Ok().json(post))
}

#[derive(Deserialize)]
pub struct Search {
    title: Option<String>,
}

// The title filter applies only when given: it cannot be the lookup the
// query always makes, so nothing is said about its index.
#[get("/posts")]
async fn search_posts(pool: web::Data<DbPool>, q: web::Query<Search>) -> Res {
    let mut conn = pool.get().map_err(internal)?;
    let mut query = posts::table.into_boxed();
    if let Some(t) = &q.title {
        query = query.filter(posts::title.eq(t.clone()));
    }
    let rows = query.limit(20).load::<Post>(&mut conn).map_err(internal)?; // ok: db/missing-index, db/unbounded-query
    Ok(HttpResponse::Ok().json(rows))
}

// One comments query per post of the page: N+1.
#[get("/feed")]
async fn feed(pool: web::Data<DbPool>) -> Res {
    let mut conn = pool.get().map_err(internal)?;
    let page = posts::table.order(posts::id.desc()).limit(20).load::<Post>(&mut conn).map_err(internal)?;
    let mut out = Vec::new();
    for p in page {
        let cs = comments::table.filter(comments::post_id.eq(p.id)).load::<Comment>(&mut conn).map_err(internal)?; // expect: db/n-plus-one:warning
        out.push((p, cs));
    }
    Ok(HttpResponse::Ok().json(out))
}

// The same page with one query for all its comments.
#[get("/feed/batched")]
async fn feed_batched(pool: web::Data<DbPool>) -> Res {
    let mut conn = pool.get().map_err(internal)?;
    let page = posts::table.order(posts::id.desc()).limit(20).load::<Post>(&mut conn).map_err(internal)?;
    let ids: Vec<i32> = page.iter().map(|p| p.id).collect();
    let all = comments::table.filter(comments::post_id.eq_any(&ids)).load::<Comment>(&mut conn).map_err(internal)?; // ok: db/n-plus-one, db/missing-index
    let mut by_post: HashMap<i32, Vec<Comment>> = HashMap::new();
    for c in all {
        by_post.entry(c.post_id).or_default().push(c);
    }
    Ok(HttpResponse::Ok().json(by_post))
}

// The author of each post through a helper: N+1 across a call.
#[get("/feed/authors")]
async fn feed_with_authors(pool: web::Data<DbPool>) -> Res {
    let mut conn = pool.get().map_err(internal)?;
    let page = posts::table.order(posts::id.desc()).limit(20).load::<Post>(&mut conn).map_err(internal)?;
    let mut out = Vec::new();
    for p in page {
        let author = db::author_of(&mut conn, p.author_id).map_err(internal)?; // expect: db/n-plus-one:warning
        out.push((p.title, author.name));
    }
    Ok(HttpResponse::Ok().json(out))
}

// A join on the unindexed foreign key: each user's posts are found by
// reading all of `posts`.
#[get("/users/{email}/posts")]
async fn posts_of_user(pool: web::Data<DbPool>, path: web::Path<String>) -> Res {
    let mut conn = pool.get().map_err(internal)?;
    let rows = users::table.inner_join(posts::table).filter(users::email.eq(path.into_inner())).select((User::as_select(), Post::as_select())).limit(50).load::<(User, Post)>(&mut conn).map_err(internal)?; // expect: db/missing-index:warning
    Ok(HttpResponse::Ok().json(rows))
}

// By primary key.
#[post("/posts/{id}/publish")]
async fn publish(pool: web::Data<DbPool>, path: web::Path<i32>) -> Res {
    let mut conn = pool.get().map_err(internal)?;
    diesel::update(posts::table.find(path.into_inner())).set(posts::published.eq(true)).execute(&mut conn).map_err(internal)?; // ok: db/missing-index
    Ok(HttpResponse::NoContent().finish())
}
