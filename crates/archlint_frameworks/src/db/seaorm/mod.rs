//! sea-orm: queries on entities (`users::Entity::find().filter(..).all(db)`,
//! `find_by_id`, `insert`/`update_many`/`delete_many`, ActiveModel
//! `insert/update/delete/save(db)`), one [`QueryFact`] per execution, and the
//! schema its migrations declare (`manager.create_table(Table::create()..)`,
//! `create_index`, `alter_table`, ...; see [`migrations`]).
//!
//! Entities are structs with derive attributes, which the facts do not
//! hold: [`entities`] reads an entity's table from its module name (what
//! sea-orm-cli generates), and the relations of an entity are not known, so
//! joins use the schema's foreign keys.

pub mod entities;
pub mod migrations;
pub mod query;
pub mod statements;

#[cfg(test)]
mod tests;

use super::DbCx;
use crate::db::diesel::chain::{self, ImportScopes, flatten, loop_of, path_call};
use crate::db::diesel::knowledge::{SeaNames, names, rust_files_importing};
use crate::db::diesel::usage::usage;
use archlint_model::visit::walk_stmts;
use archlint_model::{DbModel, Expr, ExprKind, FuncRef, QueryFact, QueryKind, QuerySource, Schema};
use entities::{Entities, EntityScope};
use query::{Built, QueryCx};

/// Adds sea-orm's migrations and queries.
pub fn collect(cx: &DbCx, out: &mut DbModel) {
    let n = names();
    let project = cx.index.project;
    let files = rust_files_importing(project, &n.seaorm.crates);
    if files.is_empty() {
        return;
    }
    for &fi in &files {
        migrations::collect_file(cx, fi, out);
    }
    let schema = Schema::from_sources(&out.sources);
    let entities = Entities::new(cx.index);
    for &fi in &files {
        let Some(file) = project.file(fi) else {
            continue;
        };
        let facts = &file.facts;
        let imports = ImportScopes::new(facts);
        for (i, func) in facts.functions.iter().enumerate() {
            let scope = EntityScope {
                file: fi,
                imports: imports.visible(func),
            };
            let qcx = QueryCx {
                entities: &entities,
                scope: &scope,
                schema: &schema,
                n: &n.seaorm,
                func,
            };
            let fref = FuncRef {
                file: fi,
                func: i as u32,
            };
            walk_stmts(&func.body, |e| {
                if let Some(q) = query_fact(&qcx, fref, e) {
                    out.queries.push(q);
                }
            });
        }
    }
}

/// How an execution method bounds the rows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Exec {
    All,
    One,
    Count,
    Page,
    Write,
}

fn exec_kind(n: &SeaNames, m: &str, argc: usize) -> Option<Exec> {
    let kind = if n.all_rows.matches(m) {
        Exec::All
    } else if n.one_row.matches(m) {
        Exec::One
    } else if n.count.matches(m) {
        Exec::Count
    } else if n.paginate.matches(m) {
        Exec::Page
    } else if n.write.matches(m) {
        Exec::Write
    } else {
        return None;
    };
    // The connection, and for `paginate` the page size.
    let want = if kind == Exec::Page { 2 } else { 1 };
    (argc == want).then_some(kind)
}

/// The fact for `e` when it executes a sea-orm query this module understands.
fn query_fact(qcx: &QueryCx, fref: FuncRef, e: &Expr) -> Option<QueryFact> {
    let (func, args) = e.as_call()?;
    let ExprKind::Attr(recv, m) = &func.kind else {
        return None;
    };
    if args.iter().any(|a| a.name.is_some()) {
        return None;
    }
    let (built, exec) = match exec_kind(qcx.n, m, args.len()) {
        Some(exec) => (qcx.build(recv, 0)?, exec),
        None if args.len() == 1 => (active_model(qcx, recv, m)?, Exec::Write),
        None => return None,
    };
    let mut shape = built.shape;
    match exec {
        Exec::One | Exec::Page if shape.kind == QueryKind::Select => shape.limit = true,
        Exec::Count => {
            shape.aggregate = true;
            shape.selected = archlint_model::Selected::Columns(vec!["count(*)".into()]);
        }
        _ => {}
    }
    let all_rows = exec == Exec::All
        && shape.kind == QueryKind::Select
        && !shape.limit
        && !shape.aggregate
        && !built.single_row
        && !built.maybe_limited;
    let use_ = usage(&names().response, qcx.func, e);
    Some(QueryFact {
        file: fref.file,
        func: Some(fref),
        span: e.span,
        loop_idx: loop_of(qcx.func, e.span),
        api: chain::api_text(&flatten(e)),
        source: QuerySource::Orm,
        text: None,
        text_at: None,
        bound_params: true,
        shape: built.understood.then_some(shape),
        all_rows,
        returned: use_.returned,
        bound_to: use_.bound_to,
    })
}

/// `users::ActiveModel { .. }.insert(db)`, or a local holding one (or
/// annotated `users::ActiveModel`), saved with `insert/update/delete/save`.
fn active_model(qcx: &QueryCx, recv: &Expr, m: &str) -> Option<Built> {
    let n = qcx.n;
    let kind = if n.model_insert.matches(m) {
        QueryKind::Insert
    } else if n.model_update.matches(m) {
        QueryKind::Update
    } else if n.model_delete.matches(m) {
        QueryKind::Delete
    } else if n.model_save.matches(m) {
        QueryKind::Other
    } else {
        return None;
    };
    let model_path = |e: &Expr| -> Option<Vec<String>> {
        let (segs, _) = path_call(e)?;
        (segs.last() == Some(&"ActiveModel")).then(|| segs.iter().map(|s| s.to_string()).collect())
    };
    let path: Vec<String> = match &recv.kind {
        ExprKind::Name(local) => {
            let values = chain::assignments(&qcx.func.body, local, recv.span);
            let from_value = values.last().and_then(|v| model_path(v));
            from_value.or_else(|| {
                let ann = chain::annotation_of(&qcx.func.body, local, recv.span)?;
                let ExprKind::Type(t) = &ann.kind else {
                    return None;
                };
                let t = t.split('<').next().unwrap_or(t);
                t.ends_with("ActiveModel")
                    .then(|| t.split("::").map(str::to_string).collect())
            })?
        }
        _ => model_path(recv)?,
    };
    let mut segs: Vec<&str> = path.iter().map(String::as_str).collect();
    if segs.last() != Some(&"ActiveModel") {
        return None;
    }
    segs.pop();
    segs.push("Entity");
    let table = qcx.entities.table(qcx.scope, &segs)?;
    let mut b = Built::new(kind, table);
    if matches!(kind, QueryKind::Update | QueryKind::Delete) {
        qcx.primary_key(&mut b, None);
    }
    Some(b)
}
