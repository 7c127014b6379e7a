//! Local definitions of one function body, by name, in source order:
//! assignments (`sql = "..."`, `let mut sql = String::from(..)`),
//! augmented ones (`sql += ...`), mutations (`clauses.append(x)`,
//! `sql.push_str(x)`, `write!(sql, ..)`), loop variables and unpacking.
//! Built once per function that runs a query; lookups are by position, so
//! the value of a name at a use is what was assigned before it.

use archlint_model::{Arg, Expr, ExprKind, Loop, Pos, Stmt, StmtKind};
use rustc_hash::FxHashMap as HashMap;

/// Methods that add to a list or string in place.
const MUTATORS: &[&str] = &[
    "add",
    "append",
    "extend",
    "extend_from_slice",
    "insert",
    "push",
    "push_str",
    "write_str",
];
/// Methods after `write!(..)` that only unwrap its result.
const UNWRAPS: &[&str] = &["expect", "ok", "unwrap"];

/// How a local name gets a value.
#[derive(Clone, Copy, Debug)]
pub enum DefKind<'f> {
    /// `name = value`, `let name: T = value`.
    Assign {
        value: &'f Expr,
        annotation: Option<&'f Expr>,
    },
    /// `name += value`.
    Augment(&'f Expr),
    /// `name.method(args)` for a method in [`MUTATORS`].
    Mutate(&'f str, &'f [Arg]),
    /// `write!(name, fmt, args..)`: every argument, the target first.
    Write(&'f [Arg]),
    /// Bound by a `for` loop or comprehension over this iterable.
    LoopVar(&'f Expr),
    /// The position `enumerate` pairs each item with (`i` in
    /// `for i, x in enumerate(xs)`, `xs.iter().enumerate()`): a number.
    Counter,
    /// One of several names bound by unpacking this value.
    Unpack(&'f Expr),
}

/// One definition and where it happens.
#[derive(Clone, Copy, Debug)]
pub struct Def<'f> {
    pub at: Pos,
    pub kind: DefKind<'f>,
}

/// The definitions of a body, by name.
#[derive(Debug, Default)]
pub struct Locals<'f> {
    defs: HashMap<&'f str, Vec<Def<'f>>>,
}

impl<'f> Locals<'f> {
    /// Indexes `body` and its loops, closure bodies included.
    pub fn of(body: &'f [Stmt], loops: &'f [Loop]) -> Self {
        let mut l = Locals::default();
        for lp in loops {
            if let (Some(t), Some(iter)) = (&lp.target, &lp.iter) {
                l.bind_pattern(t, lp.span.start, DefKind::LoopVar(iter));
            }
        }
        for s in body {
            l.stmt(s);
        }
        // Closure bodies (at any depth: the walk goes into them), and the
        // parameters of closures given to a method (`cols.iter().map(|c| ..)`),
        // which take the receiver's items.
        let mut lambdas: Vec<&'f [Stmt]> = Vec::new();
        let mut items: Vec<(&'f str, Pos, &'f Expr, bool)> = Vec::new();
        archlint_model::visit::walk_stmts(body, |e| match &e.kind {
            ExprKind::Lambda { body, .. } => lambdas.push(body),
            ExprKind::Call { func, args } => {
                if let ExprKind::Attr(recv, _) = &func.kind {
                    for a in args {
                        if let ExprKind::Lambda { params, .. } = &a.value.kind {
                            for p in params {
                                // `|(i, x)|` over `.enumerate()`: `i` counts.
                                let counter = enumerates(recv)
                                    .then(|| p.trim_start_matches(['&', ' ']).strip_prefix('('))
                                    .flatten()
                                    .and_then(|rest| rest.split(',').next())
                                    .map(str::trim);
                                for name in pattern_names(p) {
                                    let counts = counter == Some(name);
                                    items.push((name, a.value.span.start, recv, counts));
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        });
        for b in lambdas {
            for s in b {
                l.stmt(s);
            }
        }
        for (name, at, recv, counter) in items {
            let kind = if counter {
                DefKind::Counter
            } else {
                DefKind::LoopVar(recv)
            };
            l.push(name, Def { at, kind });
        }
        for v in l.defs.values_mut() {
            v.sort_by_key(|d| d.at);
        }
        l
    }

    fn push(&mut self, name: &'f str, def: Def<'f>) {
        self.defs.entry(name).or_default().push(def);
    }

    fn bind_pattern(&mut self, target: &'f Expr, at: Pos, kind: DefKind<'f>) {
        match &target.kind {
            ExprKind::Name(n) => self.push(n, Def { at, kind }),
            ExprKind::Tuple(xs) | ExprKind::List(xs) => {
                let counted = matches!(kind, DefKind::LoopVar(iter) if enumerates(iter));
                let kind = match kind {
                    DefKind::Assign { value, .. } => DefKind::Unpack(value),
                    k => k,
                };
                for (i, x) in xs.iter().enumerate() {
                    if let ExprKind::Name(n) = &x.kind {
                        let kind = if counted && i == 0 {
                            DefKind::Counter
                        } else {
                            kind
                        };
                        self.push(n, Def { at, kind });
                    }
                }
            }
            _ => {}
        }
    }

    fn stmt(&mut self, s: &'f Stmt) {
        let at = s.span.start;
        match &s.kind {
            StmtKind::Assign {
                targets,
                value,
                annotation,
                augmented,
            } => {
                for t in targets {
                    if *augmented {
                        if let ExprKind::Name(n) = &t.kind {
                            self.push(
                                n,
                                Def {
                                    at,
                                    kind: DefKind::Augment(value),
                                },
                            );
                        }
                        continue;
                    }
                    // `a, b = x, y` binds pairwise.
                    if let (ExprKind::Tuple(ts), ExprKind::Tuple(vs)) = (&t.kind, &value.kind)
                        && ts.len() == vs.len()
                    {
                        for (t, v) in ts.iter().zip(vs) {
                            if let ExprKind::Name(n) = &t.kind {
                                let kind = DefKind::Assign {
                                    value: v,
                                    annotation: None,
                                };
                                self.push(n, Def { at, kind });
                            }
                        }
                        continue;
                    }
                    let kind = DefKind::Assign {
                        value,
                        annotation: annotation.as_deref(),
                    };
                    self.bind_pattern(t, at, kind);
                }
            }
            StmtKind::Expr(e) => {
                let mut e = e.unwrap_await();
                // `write!(sql, ..).unwrap()`.
                while let ExprKind::Call { func, .. } = &e.kind
                    && let ExprKind::Attr(recv, m) = &func.kind
                    && UNWRAPS.contains(&m.as_str())
                    && matches!(recv.kind, ExprKind::Macro { .. })
                {
                    e = recv;
                }
                match &e.kind {
                    ExprKind::Call { func, args } => {
                        if let ExprKind::Attr(recv, m) = &func.kind
                            && MUTATORS.contains(&m.as_str())
                            && let ExprKind::Name(n) = &recv.kind
                        {
                            self.push(
                                n,
                                Def {
                                    at,
                                    kind: DefKind::Mutate(m, args),
                                },
                            );
                        }
                    }
                    ExprKind::Macro { path, args }
                        if matches!(path.last().map(String::as_str), Some("write" | "writeln")) =>
                    {
                        if let Some(Arg { value, .. }) = args.first()
                            && let ExprKind::Name(n) = &value.unwrap_unary().kind
                        {
                            self.push(
                                n,
                                Def {
                                    at,
                                    kind: DefKind::Write(args),
                                },
                            );
                        }
                    }
                    _ => {}
                }
            }
            StmtKind::Return(_) => {}
        }
    }

    /// Definitions of `name` strictly before `pos`, in source order.
    pub fn before(&self, name: &str, pos: Pos) -> &[Def<'f>] {
        let all = self.all(name);
        let end = all.partition_point(|d| d.at < pos);
        &all[..end]
    }

    /// Every definition of `name`, in source order.
    pub fn all(&self, name: &str) -> &[Def<'f>] {
        self.defs.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Whether `e` is `enumerate(xs)` (Python) or `xs.iter().enumerate()` (Rust),
/// whose items are (position, item) pairs.
fn enumerates(e: &Expr) -> bool {
    let ExprKind::Call { func, .. } = &e.kind else {
        return false;
    };
    match &func.kind {
        ExprKind::Name(n) => n == "enumerate",
        ExprKind::Attr(_, m) => m == "enumerate",
        _ => false,
    }
}

/// The names a closure parameter binds (`x`, `(a, b)`, `&(k, v)`, `mut acc`);
/// type annotations (`x: &str`) are left out.
fn pattern_names(p: &str) -> impl Iterator<Item = &str> {
    let pattern = p.split(':').next().unwrap_or(p);
    pattern
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|s| {
            !s.is_empty()
                && !matches!(*s, "mut" | "ref" | "_")
                && s.starts_with(|c: char| c.is_lowercase() || c == '_')
        })
}

/// Looks through `&x`, `*x`, `&mut x` (Rust) to the operand.
pub trait UnwrapUnary {
    fn unwrap_unary(&self) -> &Expr;
}

impl UnwrapUnary for Expr {
    fn unwrap_unary(&self) -> &Expr {
        let mut cur = self;
        for _ in 0..16 {
            match &cur.kind {
                ExprKind::Unary(inner) => cur = inner,
                _ => break,
            }
        }
        cur
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_defs_in_order() {
        let f = archlint_python::PythonExtractor::new().extract(
            b"def f(q):\n    sql = 'SELECT 1'\n    sql += ' WHERE a = %s'\n    parts = []\n    parts.append('x')\n    for c in ('a', 'b'):\n        pass\n    a, b = 1, q\n    return sql\n",
        );
        let func = &f.functions[0];
        let l = Locals::of(&func.body, &func.loops);
        assert_eq!(l.all("sql").len(), 2);
        assert!(matches!(l.all("sql")[1].kind, DefKind::Augment(_)));
        assert!(matches!(
            l.all("parts")[1].kind,
            DefKind::Mutate("append", _)
        ));
        assert!(matches!(l.all("c")[0].kind, DefKind::LoopVar(_)));
        assert!(
            matches!(l.all("b")[0].kind, DefKind::Assign { value, .. } if matches!(&value.kind, ExprKind::Name(n) if n == "q"))
        );
        let ret = func.body.last().unwrap().span.start;
        assert_eq!(l.before("sql", ret).len(), 2);
        assert_eq!(l.before("sql", func.body[1].span.start).len(), 1);
    }

    #[test]
    fn rust_push_str_and_write() {
        let f = archlint_rust::RustExtractor::new().extract(
            b"fn f(x: &str) { let mut sql = String::from(\"SELECT 1\"); sql.push_str(x); sql += \" LIMIT 1\"; write!(sql, \" {}\", x).unwrap(); }",
        );
        let func = &f.functions[0];
        let l = Locals::of(&func.body, &func.loops);
        let kinds: Vec<&str> = l
            .all("sql")
            .iter()
            .map(|d| match d.kind {
                DefKind::Assign { .. } => "assign",
                DefKind::Augment(_) => "augment",
                DefKind::Mutate(m, _) => m,
                DefKind::Write(_) => "write",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["assign", "push_str", "augment", "write"]);
    }
}
