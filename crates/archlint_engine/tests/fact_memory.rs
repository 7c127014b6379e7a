//! Facts live for the whole scan: once a file's facts are out (extracted,
//! then `shrink_facts`), no vector or string in them may hold spare
//! capacity. Expressions give theirs back when they are made
//! (`Expr::new`), so this checks every expression the extractors build.

use archlint_model::visit::{shrink_facts, walk_expr, walk_stmts};
use archlint_model::{Expr, ExprKind, FileFacts};

fn exact<T>(v: &Vec<T>) -> bool {
    v.capacity() == v.len()
}

/// Whether the lists and text of `e`'s own kind are exact.
fn own_lists_exact(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Str(s) | ExprKind::Number(s) | ExprKind::Name(s) | ExprKind::Type(s) => {
            s.capacity() == s.len()
        }
        ExprKind::Attr(_, a) => a.capacity() == a.len(),
        ExprKind::Path(segs) => exact(segs),
        ExprKind::FStr(parts) => exact(parts),
        ExprKind::Call { args, .. } => exact(args),
        ExprKind::Macro { path, args } => exact(path) && exact(args),
        ExprKind::Subscript(_, idx) => exact(idx),
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) | ExprKind::Other(xs) => {
            exact(xs)
        }
        ExprKind::Dict(kvs) => exact(kvs),
        ExprKind::Lambda { params, body } => exact(params) && exact(body),
        _ => true,
    }
}

/// Every list of `facts` with spare capacity, named for the failure message.
fn spare(facts: &FileFacts) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: &str, ok: bool| {
        if !ok {
            out.push(what.to_string());
        }
    };
    check("imports", exact(&facts.imports));
    check("functions", exact(&facts.functions));
    check("classes", exact(&facts.classes));
    check("module statements", exact(&facts.module_stmts));
    let mut exprs: Vec<&Expr> = Vec::new();
    walk_stmts(&facts.module_stmts, |e| exprs.push(e));
    for f in &facts.functions {
        check(&format!("{} body", f.name), exact(&f.body));
        check(&format!("{} params", f.name), exact(&f.params));
        check(&format!("{} loops", f.name), exact(&f.loops));
        check(&format!("{} decorators", f.name), exact(&f.decorators));
        for s in &f.body {
            if let archlint_model::StmtKind::Assign { targets, .. } = &s.kind {
                check(&format!("{} assignment targets", f.name), exact(targets));
            }
        }
        walk_stmts(&f.body, |e| exprs.push(e));
        for d in &f.decorators {
            walk_expr(d, |e| exprs.push(e));
        }
        for p in &f.params {
            for x in p.annotation.iter().chain(&p.default) {
                walk_expr(x, |e| exprs.push(e));
            }
        }
    }
    for c in &facts.classes {
        check(&format!("class {} body", c.name), exact(&c.body));
        walk_stmts(&c.body, |e| exprs.push(e));
    }
    assert!(exprs.len() > 40, "the sample lowered to too little");
    for e in exprs {
        check(&format!("expression {:?}", e.kind), own_lists_exact(e));
    }
    out
}

#[test]
fn python_facts_hold_no_spare_capacity() {
    let src = r#"
import os
from flask import Flask, request

app = Flask(__name__)
a = b = {"k": [1, 2, 3], "e": "tab\there"}

@app.route("/users/<int:uid>", methods=["GET", "POST"])
def user(uid: int, limit: int = 10, *args, **kw):
    """Docstring."""
    rows = db.execute(f"SELECT * FROM users WHERE id = {uid}", (uid,)).fetchall()[:limit]
    names = [r["name"].strip() for r in rows if r and r.get("x", None)]
    total = sum(map(lambda r: r.n + 1, rows))
    for r in rows:
        if r.active and not r.banned:
            r.touch(at=os.environ.get("NOW", "never\n"))
    return {"names": names, "total": total, "s": "a" "b"}

class Repo(Base):
    table = "t"
    def get(self, key):
        return self.session.query(Model).filter(Model.key == key).first()
"#;
    let mut facts = archlint_python::PythonExtractor::new().extract(src.as_bytes());
    shrink_facts(&mut facts);
    assert_eq!(spare(&facts), Vec::<String>::new());
}

#[test]
fn rust_facts_hold_no_spare_capacity() {
    let src = r#"
use axum::{Router, routing::{get, post}, extract::{Path, State}};
use crate::db::{self, Pool};

pub fn app(pool: Pool) -> Router {
    Router::new()
        .route("/users/:id", get(user).post(update))
        .nest("/api", api::routes())
        .with_state(pool)
}

async fn user(Path(id): Path<i64>, State(pool): State<Pool>) -> Result<String, Error> {
    let ids = [1, 2, 3];
    let pair = (id, "x");
    for i in ids.iter() {
        let row = sqlx::query!("SELECT name FROM users WHERE id = $1", i)
            .fetch_one(&pool)
            .await?;
        tracing::info!(name = %row.name, "found {}", i);
    }
    let q = format!("SELECT * FROM t WHERE id = {}", pair.0);
    let v: Vec<_> = ids.iter().map(|x| x + 1).filter(|x| *x > 1).collect();
    Ok(q + &v[0].to_string())
}
"#;
    let mut facts = archlint_rust::RustExtractor::new().extract(src.as_bytes());
    shrink_facts(&mut facts);
    assert_eq!(spare(&facts), Vec::<String>::new());
}
