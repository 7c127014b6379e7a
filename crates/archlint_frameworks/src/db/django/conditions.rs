//! Conditions of filtering calls: keyword lookups, `Q` objects and their
//! combinations, and eager-loading arguments.

use super::eval::{Eager, Eval};
use super::lookups::{Context, lookup};
use super::scope::Scope;
use archlint_model::{Arg, ArgsExt, Expr, ExprKind};

/// Bound on nested `Q` objects.
const MAX_Q: u32 = 16;

impl Scope<'_, '_, '_> {
    /// Lookups and `Q` objects of a filtering call.
    pub(super) fn conditions(&self, ev: &mut Eval, args: &[Arg], negated: bool, skip_first: bool) {
        let mut positional = 0;
        for a in args {
            match a.name.as_deref() {
                Some("defaults" | "create_defaults") => {}
                Some("*" | "**") => ev.known = false,
                Some(key) => {
                    let cx = Context {
                        negated,
                        in_or: false,
                    };
                    self.condition(ev, key, &a.value, cx);
                }
                None => {
                    positional += 1;
                    if skip_first && positional == 1 {
                        continue;
                    }
                    let cx = Context {
                        negated,
                        in_or: false,
                    };
                    self.q(ev, &a.value, cx, 0);
                }
            }
        }
    }

    fn condition(&self, ev: &mut Eval, key: &str, value: &Expr, cx: Context) {
        match lookup(self.cx.models, ev.model, key, value, cx) {
            Ok(l) => {
                for t in l.tables {
                    ev.table(t.name);
                }
                ev.shape.joins.extend(l.joins);
                ev.shape.filters.extend(l.filter);
            }
            Err(_) => {
                let first = key.split("__").next().unwrap_or(key);
                if !ev.annotations.iter().any(|a| a == first) {
                    ev.known = false;
                }
            }
        }
    }

    /// A `Q(...)` object or a combination of them. The lowered facts do not
    /// tell `|` from `&`, so conditions under a combination count as `OR`ed.
    fn q(&self, ev: &mut Eval, e: &Expr, cx: Context, depth: u32) {
        if depth > MAX_Q {
            ev.known = false;
            return;
        }
        match &e.kind {
            ExprKind::Call { func, args } if func.last_name() == Some("Q") => {
                for a in args {
                    match a.name.as_deref() {
                        Some("*" | "**") => ev.known = false,
                        Some("_connector" | "_negated") => {}
                        Some(key) => self.condition(ev, key, &a.value, cx),
                        None => self.q(ev, &a.value, cx, depth + 1),
                    }
                }
            }
            ExprKind::Tuple(xs) if xs.len() == 2 => {
                // `("field", value)` pairs inside `Q(...)`.
                match xs.first().and_then(Expr::as_str) {
                    Some(key) => {
                        if let Some(v) = xs.get(1) {
                            self.condition(ev, key, v, cx);
                        }
                    }
                    None => ev.known = false,
                }
            }
            ExprKind::Binary(_, l, r) => {
                let or = Context { in_or: true, ..cx };
                self.q(ev, l, or, depth + 1);
                self.q(ev, r, or, depth + 1);
            }
            ExprKind::Unary(x) => {
                let neg = Context {
                    negated: !cx.negated,
                    ..cx
                };
                self.q(ev, x, neg, depth + 1);
            }
            _ => ev.known = false,
        }
    }
}

/// `F("created")`, `F("created").desc()`: the field name.
pub(super) fn field_ref(e: &Expr) -> Option<String> {
    let mut cur = e;
    for _ in 0..4 {
        let (f, args) = cur.as_call()?;
        match &f.kind {
            ExprKind::Attr(inner, m) if m == "desc" || m == "asc" => cur = inner,
            _ if f.last_name() == Some("F") => {
                return args
                    .positional(0)
                    .and_then(Expr::as_str)
                    .map(str::to_string);
            }
            _ => return None,
        }
    }
    None
}

/// `select_related("a", "b__c")`, `prefetch_related("x", Prefetch("y", ...))`.
pub(super) fn eager(e: &mut Eager, name: &str, args: &[Arg]) {
    let positional: Vec<&Expr> = args
        .iter()
        .filter(|a| a.name.is_none())
        .map(|a| &a.value)
        .collect();
    if positional.is_empty() && name == "select_related" {
        e.all_forward = true;
    }
    for v in positional {
        let path = match v.as_str() {
            Some(s) => Some(s),
            None => v.as_call().and_then(|(f, a)| {
                (f.last_name() == Some("Prefetch"))
                    .then(|| a.positional(0).or_else(|| a.keyword("lookup")))
                    .flatten()
                    .and_then(Expr::as_str)
            }),
        };
        match path {
            Some(p) => e.paths.push(p.to_string()),
            None if matches!(v.kind, ExprKind::NoneLit) => {}
            None => e.unknown = true,
        }
    }
    if args.iter().any(|a| a.name.as_deref() == Some("*")) {
        e.unknown = true;
    }
}
