//! Constant strings across files: a literal, a module-level constant
//! (`SQL_GET_USER = "..."`, `const SQL: &str = "..."`), a class attribute
//! (`self.QUERY`, `Queries.GET`), a Rust associated const (`Self::SQL`,
//! `User::SELECT`), an imported one (`from .queries import GET`,
//! `use crate::sql::GET`), and constant concatenations of those (`+`,
//! `concat!`, constant-only f-strings). Every chain is followed a bounded
//! number of hops.

use archlint_model::{
    ClassRef, Container, Expr, ExprKind, FuncRef, Function, Location, ProjectIndex, StmtKind,
    StrPart, Symbol,
};
use rustc_hash::FxHashMap as HashMap;

/// Most definitions followed for one constant.
const MAX_HOPS: u32 = 12;

/// A constant string and where its (first) literal is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstStr {
    pub text: String,
    pub at: Location,
}

/// Resolves constant names and strings of a project. Build once per scan.
pub struct Consts<'a, 'p> {
    pub index: &'a ProjectIndex<'p>,
    /// Rust consts whose target is a path (`User::SQL` in `impl User`,
    /// `queries::GET` in an inline module): by (last-but-one segment, name).
    paths: HashMap<(String, String), Vec<(u32, u32)>>,
}

impl<'a, 'p> Consts<'a, 'p> {
    /// Indexes the Rust associated and inline-module consts (one pass over module statements).
    pub fn new(index: &'a ProjectIndex<'p>) -> Self {
        let mut paths: HashMap<(String, String), Vec<(u32, u32)>> = HashMap::default();
        for (fi, file) in index.project.files.iter().enumerate() {
            for (si, s) in file.facts.module_stmts.iter().enumerate() {
                if let StmtKind::Assign { targets, .. } = &s.kind {
                    for t in targets {
                        if let ExprKind::Path(segs) = &t.kind
                            && let [.., owner, name] = segs.as_slice()
                        {
                            paths
                                .entry((owner.clone(), name.clone()))
                                .or_default()
                                .push((fi as u32, si as u32));
                        }
                    }
                }
            }
        }
        Consts { index, paths }
    }

    fn module_stmt_value(&self, file: u32, stmt: u32) -> Option<(u32, &'p Expr)> {
        let s = self
            .index
            .project
            .file(file)?
            .facts
            .module_stmts
            .get(stmt as usize)?;
        match &s.kind {
            StmtKind::Assign {
                value,
                augmented: false,
                ..
            } => Some((file, value)),
            _ => None,
        }
    }

    /// The value a constant name, attribute or path refers to, with the file
    /// it is written in: module-level assignments (through imports), class
    /// attributes (`self.X`, `cls.X`, `Cls.X`, inherited ones too) and Rust
    /// associated or inline-module consts. `func` is the function the
    /// expression is used in, for `self`/`Self`.
    pub fn definition(
        &self,
        file: u32,
        func: Option<FuncRef>,
        expr: &Expr,
    ) -> Option<(u32, &'p Expr)> {
        match &expr.kind {
            ExprKind::Name(n) => match self.index.resolve_name(file, n)? {
                Symbol::Global { file, stmt } => self.module_stmt_value(file, stmt),
                _ => None,
            },
            ExprKind::Attr(base, attr) => {
                if let ExprKind::Name(b) = &base.kind
                    && (b == "self" || b == "cls")
                {
                    let class = func.and_then(|f| self.class_of(f))?;
                    return self.class_attr(class, attr);
                }
                match self.index.resolve_expr(file, base) {
                    Some(Symbol::Class(c)) => self.class_attr(c, attr),
                    Some(Symbol::Module(_)) => match self.index.resolve_expr(file, expr)? {
                        Symbol::Global { file, stmt } => self.module_stmt_value(file, stmt),
                        _ => None,
                    },
                    _ => None,
                }
            }
            ExprKind::Path(segs) => {
                let [.., owner, name] = segs.as_slice() else {
                    return None;
                };
                let owner = if owner == "Self" {
                    func.and_then(|f| self.impl_type_of(f))?
                } else {
                    owner.clone()
                };
                if let Some(found) = self.paths.get(&(owner, name.clone())) {
                    // Prefer the definition in the same file; else a unique one.
                    let pick = found
                        .iter()
                        .find(|(f, _)| *f == file)
                        .or(if found.len() == 1 {
                            found.first()
                        } else {
                            None
                        });
                    if let Some(&(f, s)) = pick {
                        return self.module_stmt_value(f, s);
                    }
                }
                match self.index.resolve_expr(file, expr)? {
                    Symbol::Global { file, stmt } => self.module_stmt_value(file, stmt),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The constant string `expr` evaluates to, if it is one.
    pub fn string(&self, file: u32, func: Option<FuncRef>, expr: &Expr) -> Option<ConstStr> {
        self.string_hops(file, func, expr, 0)
    }

    fn string_hops(
        &self,
        file: u32,
        func: Option<FuncRef>,
        expr: &Expr,
        hops: u32,
    ) -> Option<ConstStr> {
        if hops > MAX_HOPS {
            return None;
        }
        let at = |span| self.index.project.location(file, span);
        match &expr.kind {
            ExprKind::Str(s) => Some(ConstStr {
                text: s.clone(),
                at: at(expr.span),
            }),
            ExprKind::FStr(parts) => {
                let mut text = String::new();
                for p in parts {
                    match p {
                        StrPart::Lit(s) => text.push_str(s),
                        StrPart::Expr(e) => {
                            text.push_str(&self.string_hops(file, func, e, hops + 1)?.text)
                        }
                    }
                }
                Some(ConstStr {
                    text,
                    at: at(expr.span),
                })
            }
            ExprKind::Binary(archlint_model::BinOp::Add, ..) => {
                let mut out: Option<ConstStr> = None;
                for x in super::exprs::add_operands(expr) {
                    let s = self.string_hops(file, func, x, hops + 1)?;
                    match &mut out {
                        Some(o) => o.text.push_str(&s.text),
                        None => out = Some(s),
                    }
                }
                out
            }
            ExprKind::Macro { path, args } if path.last().is_some_and(|m| m == "concat") => {
                let mut out: Option<ConstStr> = None;
                for a in args.iter() {
                    let s = self.string_hops(file, func, &a.value, hops + 1)?;
                    match &mut out {
                        Some(o) => o.text.push_str(&s.text),
                        None => out = Some(s),
                    }
                }
                out
            }
            ExprKind::Unary(inner) => self.string_hops(file, func, inner, hops + 1),
            ExprKind::Name(_) | ExprKind::Attr(..) | ExprKind::Path(_) => {
                let (f, value) = self.definition(file, func, expr)?;
                let func = if f == file { func } else { None };
                self.string_hops(f, func, value, hops + 1)
            }
            _ => None,
        }
    }

    /// The class a Python method belongs to (through nested functions).
    pub fn class_of(&self, f: FuncRef) -> Option<ClassRef> {
        let facts = &self.index.project.file(f.file)?.facts;
        let mut cur: &Function = facts.functions.get(f.func as usize)?;
        for _ in 0..16 {
            match cur.container {
                Container::Class(c) => {
                    return Some(ClassRef {
                        file: f.file,
                        class: c,
                    });
                }
                Container::Function(p) => cur = facts.functions.get(p as usize)?,
                _ => return None,
            }
        }
        None
    }

    /// The self type of the Rust impl a function belongs to.
    pub fn impl_type_of(&self, f: FuncRef) -> Option<String> {
        let facts = &self.index.project.file(f.file)?.facts;
        let mut cur: &Function = facts.functions.get(f.func as usize)?;
        for _ in 0..16 {
            match cur.container {
                Container::Impl(i) => {
                    return facts.impls.get(i as usize).map(|im| im.self_ty.clone());
                }
                Container::Function(p) => cur = facts.functions.get(p as usize)?,
                _ => return None,
            }
        }
        None
    }

    /// A class-level assignment `name = value` of `class` or, failing that,
    /// of its project base classes (bounded depth).
    pub fn class_attr(&self, class: ClassRef, name: &str) -> Option<(u32, &'p Expr)> {
        let mut todo = vec![(class, 0u32)];
        let mut seen = 0;
        while let Some((c, depth)) = todo.pop() {
            seen += 1;
            if seen > 64 {
                return None;
            }
            let cls = self.index.project.class(c)?;
            for s in cls.body.iter().rev() {
                if let StmtKind::Assign {
                    targets,
                    value,
                    augmented: false,
                    ..
                } = &s.kind
                    && targets
                        .iter()
                        .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == name))
                {
                    return Some((c.file, value));
                }
            }
            if depth >= 8 {
                continue;
            }
            for base in cls.bases.iter().rev().filter(|a| a.name.is_none()) {
                if let Some(Symbol::Class(b)) = self.index.resolve_expr(c.file, &base.value) {
                    todo.push((b, depth + 1));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::sqltext::testutil::{py_project, rs_project};

    #[test]
    fn python_constants_across_files_and_classes() {
        let project = py_project(&[
            (
                "app/queries.py",
                "BASE = 'SELECT * FROM users'\nGET_USER = BASE + ' WHERE id = %s'\nclass Q:\n    GET = 'SELECT 1'\nclass R(Q):\n    pass\n",
            ),
            (
                "app/views.py",
                "from .queries import GET_USER, R\nfrom . import queries\ndef f(cur):\n    cur.execute(GET_USER)\n    cur.execute(R.GET)\n    cur.execute(queries.BASE)\n",
            ),
        ]);
        let index = ProjectIndex::new(&project);
        let consts = Consts::new(&index);
        let views = 1;
        let func = &project.files[views].facts.functions[0];
        let args: Vec<&Expr> = func
            .body
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Expr(e) => e.as_call().and_then(|(_, a)| a.first()).map(|a| &a.value),
                _ => None,
            })
            .collect();
        let texts: Vec<String> = args
            .iter()
            .map(|a| {
                consts
                    .string(views as u32, None, a)
                    .map(|c| c.text)
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            texts,
            [
                "SELECT * FROM users WHERE id = %s",
                "SELECT 1",
                "SELECT * FROM users"
            ]
        );
        let at = consts.string(views as u32, None, args[0]).unwrap().at;
        assert_eq!(at.path, "app/queries.py");
        assert_eq!(at.span.start.line, 1);
    }

    #[test]
    fn rust_consts_paths_and_concat() {
        let project = rs_project(&[
            (
                "src/sql.rs",
                "pub const GET: &str = concat!(\"SELECT * FROM users \", \"WHERE id = $1\");\npub struct Repo;\nimpl Repo { const ALL: &'static str = \"SELECT * FROM users\"; fn f() { Self::ALL; } }\n",
            ),
            (
                "src/main.rs",
                "mod sql;\nuse crate::sql::GET;\nfn g() { GET; sql::Repo::ALL; }\n",
            ),
        ]);
        let index = ProjectIndex::new(&project);
        let consts = Consts::new(&index);
        let main = project
            .files
            .iter()
            .position(|f| f.path == "src/main.rs")
            .unwrap() as u32;
        let g = &project.files[main as usize].facts.functions[0];
        let texts: Vec<Option<String>> = g
            .body
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Expr(e) => Some(consts.string(main, None, e).map(|c| c.text)),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                Some("SELECT * FROM users WHERE id = $1".to_string()),
                Some("SELECT * FROM users".to_string())
            ]
        );
        let sql = 1 - main;
        let f = FuncRef { file: sql, func: 0 };
        let body = &project.files[sql as usize].facts.functions[0].body;
        let (StmtKind::Return(e) | StmtKind::Expr(e)) = &body[0].kind else {
            panic!("{body:?}")
        };
        assert_eq!(
            consts.string(sql, Some(f), e).map(|c| c.text).as_deref(),
            Some("SELECT * FROM users")
        );
    }
}
