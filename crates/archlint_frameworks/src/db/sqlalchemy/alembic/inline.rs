//! Project helpers around Alembic operations (Superset's
//! `create_table(table_name, *columns)`, `create_index(table, name, cols)`):
//! a call from `upgrade()` to a project function is read as that function's
//! operations with its parameters bound to the call's arguments, one level
//! deep. When a helper does something that cannot be read (a loop over its
//! arguments), the table it was given is marked as not fully known.

use super::ops::OpCx;
use crate::routes::module_value;
use archlint_model::{Arg, Expr, ExprKind, Function, LoopKind, ParamKind, SchemaOp, Span, Symbol};
use rustc_hash::FxHashMap as HashMap;

/// Helpers calling helpers are followed this deep.
const MAX_DEPTH: u32 = 1;

/// What a helper parameter is bound to.
pub enum Bound {
    One(Expr),
    /// `*args`: the extra positional arguments.
    Many(Vec<Expr>),
    /// `**kwargs`: the extra keyword arguments.
    Keywords(Vec<Arg>),
}

/// A helper's parameters, by name.
pub type Env = HashMap<String, Bound>;

/// Longest literal list a loop is unrolled over.
const MAX_UNROLL: usize = 256;

/// The bindings of each iteration of loop `li` when it is a `for` over a
/// literal list or tuple (directly or through a module constant) with a
/// name or tuple of names as target; `None` otherwise.
pub fn unroll(cx: &OpCx, func: &Function, li: u32, env: Option<&Env>) -> Option<Vec<Env>> {
    let lp = func.loops.get(li as usize)?;
    if lp.kind != LoopKind::For || lp.parent.is_some() {
        return None;
    }
    let target = lp.target.as_ref()?;
    let mut iter = lp.iter.as_ref()?;
    let mut file = cx.file;
    let _ = &file;
    for _ in 0..4 {
        match &iter.kind {
            ExprKind::Name(n) => {
                if let Some(Bound::One(v)) = env.and_then(|e| e.get(n)) {
                    iter = v;
                    continue;
                }
                let (f, v) = module_value(cx.index, file, n)?;
                file = f;
                iter = v;
            }
            _ => break,
        }
    }
    let (ExprKind::List(items) | ExprKind::Tuple(items)) = &iter.kind else {
        return None;
    };
    if items.len() > MAX_UNROLL {
        return None;
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let mut e: Env = HashMap::default();
        if let Some(env) = env {
            for (k, v) in env {
                if let Bound::One(x) = v {
                    e.insert(k.clone(), Bound::One(x.clone()));
                }
            }
        }
        match (&target.kind, &item.kind) {
            (ExprKind::Name(n), _) => {
                e.insert(n.clone(), Bound::One(item.clone()));
            }
            (
                ExprKind::Tuple(ns) | ExprKind::List(ns),
                ExprKind::Tuple(vs) | ExprKind::List(vs),
            ) if ns.len() == vs.len() => {
                for (n, v) in ns.iter().zip(vs) {
                    let ExprKind::Name(n) = &n.kind else {
                        return None;
                    };
                    e.insert(n.clone(), Bound::One(v.clone()));
                }
            }
            _ => return None,
        }
        out.push(e);
    }
    Some(out)
}

/// Deepest expression substituted into.
const MAX_SUBST_DEPTH: u32 = 24;

/// `args` with the helper's parameters (or loop variables) replaced by the
/// caller's arguments, anywhere inside them (`sa.Column(column, ...)`);
/// `*columns` and `**kwargs` are expanded.
pub fn subst(args: &[Arg], env: &Env) -> Vec<Arg> {
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        if let ExprKind::Name(n) = &a.value.kind {
            match (a.name.as_deref(), env.get(n)) {
                (Some("*"), Some(Bound::Many(xs))) => {
                    out.extend(xs.iter().map(|x| Arg {
                        name: None,
                        value: x.clone(),
                    }));
                    continue;
                }
                (Some("**"), Some(Bound::Keywords(kws))) => {
                    out.extend(kws.iter().cloned());
                    continue;
                }
                _ => {}
            }
        }
        out.push(Arg {
            name: a.name.clone(),
            value: subst_expr(&a.value, env, 0),
        });
    }
    out
}

fn subst_expr(e: &Expr, env: &Env, depth: u32) -> Expr {
    if depth > MAX_SUBST_DEPTH {
        return e.clone();
    }
    let d = depth + 1;
    let kind = match &e.kind {
        ExprKind::Name(n) => match env.get(n) {
            Some(Bound::One(v)) => return v.clone(),
            _ => return e.clone(),
        },
        ExprKind::Attr(v, a) => ExprKind::Attr(Box::new(subst_expr(v, env, d)), a.clone()),
        ExprKind::Call { func, args } => ExprKind::Call {
            func: Box::new(subst_expr(func, env, d)),
            args: args
                .iter()
                .map(|a| Arg {
                    name: a.name.clone(),
                    value: subst_expr(&a.value, env, d),
                })
                .collect(),
        },
        ExprKind::List(xs) => ExprKind::List(xs.iter().map(|x| subst_expr(x, env, d)).collect()),
        ExprKind::Tuple(xs) => ExprKind::Tuple(xs.iter().map(|x| subst_expr(x, env, d)).collect()),
        _ => return e.clone(),
    };
    Expr::new(kind, e.span)
}

impl OpCx<'_, '_> {
    /// A call to a project function from a migration: its operations, read
    /// with its parameters bound. Returns whether everything was understood.
    pub(super) fn helper(&mut self, callee: &Expr, args: &[Arg], span: Span, depth: u32) -> bool {
        if depth >= MAX_DEPTH || !matches!(callee.kind, ExprKind::Name(_) | ExprKind::Attr(..)) {
            return true;
        }
        let Some(Symbol::Func(fr)) = self.index.resolve_expr(self.file, callee) else {
            return true;
        };
        let Some(func) = self.index.project.func(fr) else {
            return true;
        };
        let mut env: Env = HashMap::default();
        let mut positional = args.iter().filter(|a| a.name.is_none()).map(|a| &a.value);
        let mut starred = args
            .iter()
            .any(|a| matches!(a.name.as_deref(), Some("*" | "**")));
        let mut extra_kw: Vec<Arg> = Vec::new();
        let mut varargs: Option<&str> = None;
        let mut varkw: Option<&str> = None;
        for p in &func.params {
            match p.kind {
                ParamKind::SelfParam => {}
                ParamKind::Normal => {
                    if let Some(v) = positional.next() {
                        env.insert(p.name.clone(), Bound::One(v.clone()));
                    }
                }
                ParamKind::KeywordOnly => {}
                ParamKind::VarArgs => varargs = Some(&p.name),
                ParamKind::VarKwargs => varkw = Some(&p.name),
            }
        }
        let rest: Vec<Expr> = positional.cloned().collect();
        if let Some(v) = varargs {
            env.insert(v.to_string(), Bound::Many(rest));
        } else if !rest.is_empty() {
            starred = true;
        }
        for a in args {
            let Some(k) = a.name.as_deref() else { continue };
            if k == "*" || k == "**" {
                continue;
            }
            if func
                .params
                .iter()
                .any(|p| p.name == k && p.kind != ParamKind::VarKwargs)
            {
                env.insert(k.to_string(), Bound::One(a.value.clone()));
            } else {
                extra_kw.push(a.clone());
            }
        }
        if let Some(v) = varkw {
            env.insert(v.to_string(), Bound::Keywords(extra_kw));
        }
        let understood = self.body(func, Some(&env), Some(span), depth + 1) && !starred;
        if !understood {
            // The table the helper was given is not fully known any more.
            let tables: Vec<String> = func
                .params
                .iter()
                // The table it changes, not the ones it refers to (`ref_table`).
                .filter(|p| p.name == "table" || p.name.starts_with("table_"))
                .filter_map(|p| match env.get(&p.name) {
                    Some(Bound::One(v)) => self.name(v),
                    _ => None,
                })
                .collect();
            let at = self.index.project.location(self.file, span);
            for table in tables {
                self.out.push(SchemaOp::Unparsed {
                    table,
                    at: at.clone(),
                });
            }
        }
        true
    }
}
