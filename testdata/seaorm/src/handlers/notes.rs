//! `/notes`: unindexed and indexed lookups, N+1 loops and their batched form.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use sea_orm::*;
use serde::Deserialize;

use super::internal;
use crate::entity::prelude::*;
use crate::entity::{comments, notes};
use crate::AppState;

// No index on `title`.
pub async fn by_title(State(state): State<AppState>, Path(title): Path<String>) -> Result<Json<Option<notes::Model>>, StatusCode> {
    let note = Notes::find().filter(notes::Column::Title.eq(title)).one(&state.db).await.map_err(internal)?; // expect: db/missing-index:warning
    Ok(Json(note))
}

// Sorted by an indexed column, one page.
pub async fn recent(State(state): State<AppState>) -> Result<Json<Vec<notes::Model>>, StatusCode> {
    let rows = Notes::find().order_by_desc(notes::Column::CreatedAt).limit(20).all(&state.db).await.map_err(internal)?; // ok: db/missing-index, db/unbounded-query
    Ok(Json(rows))
}

#[derive(Deserialize)]
pub struct Search {
    user: Option<i32>,
    title: Option<String>,
}

// Both conditions are optional: neither is a lookup the query always makes.
pub async fn search(State(state): State<AppState>, Query(q): Query<Search>) -> Result<Json<Vec<notes::Model>>, StatusCode> {
    let cond = Condition::all()
        .add_option(q.user.map(|u| notes::Column::UserId.eq(u)))
        .add_option(q.title.map(|t| notes::Column::Title.eq(t)));
    let rows = Notes::find().filter(cond).limit(50).all(&state.db).await.map_err(internal)?; // ok: db/missing-index
    Ok(Json(rows))
}

// One comments query per note: N+1.
pub async fn with_comments(State(state): State<AppState>) -> Result<Json<Vec<(String, usize)>>, StatusCode> {
    let page = Notes::find().order_by_desc(notes::Column::CreatedAt).limit(20).all(&state.db).await.map_err(internal)?;
    let mut out = Vec::new();
    for n in page {
        let cs = Comments::find().filter(comments::Column::NoteId.eq(n.id)).all(&state.db).await.map_err(internal)?; // expect: db/n-plus-one:warning
        out.push((n.title, cs.len()));
    }
    Ok(Json(out))
}

// The same with one query for every comment of the page.
pub async fn with_comments_batched(State(state): State<AppState>) -> Result<Json<HashMap<i32, usize>>, StatusCode> {
    let page = Notes::find().order_by_desc(notes::Column::CreatedAt).limit(20).all(&state.db).await.map_err(internal)?;
    let ids: Vec<i32> = page.iter().map(|n| n.id).collect();
    let all = Comments::find().filter(comments::Column::NoteId.is_in(ids)).all(&state.db).await.map_err(internal)?; // ok: db/n-plus-one, db/missing-index
    let mut counts = HashMap::new();
    for c in all {
        *counts.entry(c.note_id).or_insert(0) += 1;
    }
    Ok(Json(counts))
}

// Through the relation, still one query per note.
pub async fn with_comments_related(State(state): State<AppState>) -> Result<Json<usize>, StatusCode> {
    let page = Notes::find().order_by_desc(notes::Column::CreatedAt).limit(20).all(&state.db).await.map_err(internal)?;
    let mut total = 0;
    for n in &page {
        total += n.find_related(Comments).all(&state.db).await.map_err(internal)?.len(); // expect: db/n-plus-one:warning
    }
    Ok(Json(total))
}

// A note's comments with their authors. Which key links a note to its
// comments depends on the note's entity, which is not known here: the
// query is not judged (the author join alone would look unindexed).
pub async fn thread(State(state): State<AppState>, Path(id): Path<i32>) -> Result<Json<usize>, StatusCode> {
    let note = Notes::find_by_id(id).one(&state.db).await.map_err(internal)?.ok_or(StatusCode::NOT_FOUND)?;
    let rows = note.find_related(Comments).find_also_related(Users).limit(100).all(&state.db).await.map_err(internal)?; // ok: db/missing-index
    Ok(Json(rows.len()))
}

#[derive(Deserialize)]
pub struct NewComment {
    body: String,
}

pub async fn add_comment(State(state): State<AppState>, Path(id): Path<i32>, Json(c): Json<NewComment>) -> Result<StatusCode, StatusCode> {
    let am = comments::ActiveModel {
        note_id: Set(id),
        body: Set(c.body),
        ..Default::default()
    };
    Comments::insert(am).exec(&state.db).await.map_err(internal)?;
    Ok(StatusCode::CREATED)
}
