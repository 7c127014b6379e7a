//! Raw SQL in migrations: `RunSQL` with literal text (or a module constant),
//! and `CREATE INDEX` strings a migration runs by itself from `RunPython`
//! (only the indexes they create are kept from those).

use super::migrations::{File, Replay};
use archlint_model::{Expr, ExprKind, Location, Span};

/// A `RunSQL` statement's literal text and where it is.
pub struct RunSql {
    pub path: String,
    pub text: String,
    pub at: Location,
    /// Found elsewhere in a migration file (a `RunPython` function running
    /// `CREATE INDEX` itself): only the indexes it creates are kept.
    pub harvested: bool,
}

/// `CREATE [UNIQUE] INDEX ...` text, whatever the case and leading space.
fn creates_index(text: &str) -> bool {
    let t: String = text
        .trim_start()
        .chars()
        .take(24)
        .collect::<String>()
        .to_ascii_uppercase();
    let words: Vec<&str> = t.split_whitespace().collect();
    matches!(
        words.as_slice(),
        ["CREATE", "INDEX", ..] | ["CREATE", "UNIQUE", "INDEX", ..]
    )
}

impl Replay<'_, '_> {
    /// Literal SQL of a `RunSQL`: a string, a list of strings or of
    /// `(sql, params)` pairs, or a module-level constant.
    pub(super) fn run_sql(&mut self, f: &File, sql: &Expr) {
        if f.conditional {
            return;
        }
        let mut pieces: Vec<&Expr> = Vec::new();
        let resolved = match &sql.kind {
            ExprKind::Name(n) => crate::routes::module_value(self.index, f.file, n).map(|(_, v)| v),
            _ => Some(sql),
        };
        let Some(sql) = resolved else { return };
        match &sql.kind {
            ExprKind::Str(_) => pieces.push(sql),
            ExprKind::List(xs) | ExprKind::Tuple(xs) => {
                for x in xs {
                    match &x.kind {
                        ExprKind::Str(_) => pieces.push(x),
                        ExprKind::Tuple(p) | ExprKind::List(p) => pieces.extend(p.first()),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        for p in pieces {
            if let Some(t) = p.as_str() {
                self.out.run_sql.push(RunSql {
                    path: f.path.to_string(),
                    text: t.to_string(),
                    at: self.loc(f.file, p.span),
                    harvested: false,
                });
            }
        }
    }

    /// `CREATE INDEX` strings a migration runs by itself (in `RunPython`).
    pub(super) fn harvest(&mut self, f: &File) {
        let Some(file) = self.index.project.file(f.file) else {
            return;
        };
        let mut found: Vec<(String, Span)> = Vec::new();
        let mut take = |e: &Expr| {
            if let ExprKind::Str(t) = &e.kind
                && creates_index(t)
            {
                found.push((t.clone(), e.span));
            }
        };
        for func in &file.facts.functions {
            archlint_model::visit::walk_stmts(&func.body, &mut take);
        }
        archlint_model::visit::walk_stmts(&file.facts.module_stmts, &mut take);
        for (text, span) in found {
            self.out.run_sql.push(RunSql {
                path: f.path.to_string(),
                text,
                at: self.loc(f.file, span),
                harvested: true,
            });
        }
    }
}
