//! Where a value inserted into Python SQL text comes from: a constant
//! (literals, module and class constants, loop variables over constant
//! lists, lengths and numbers, comparisons), request input (Flask, Django,
//! DRF, FastAPI/Starlette request attributes, and handler parameters), a
//! parameter of the enclosing function, or unknown. Local variables are
//! followed through every definition before the use.

use super::eval::Eval;
use crate::db::sqltext::exprs::add_operands;
use crate::db::sqltext::join;
use crate::db::sqltext::knowledge::raw;
use crate::db::sqltext::locals::DefKind;
use archlint_model::{
    Arg, BinOp, Expr, ExprKind, LoopKind, ParamKind, Pos, StmtKind, StrPart, Symbol, Taint,
};

/// Methods whose result cannot carry SQL syntax.
const HARMLESS_METHODS: &[&str] = &[
    "count",
    "endswith",
    "find",
    "index",
    "isalnum",
    "isalpha",
    "isdigit",
    "isnumeric",
    "startswith",
];

impl<'a, 'p> Eval<'a, 'p> {
    /// The taint of `e` evaluated at `pos`.
    pub fn taint(&self, e: &'p Expr, pos: Pos, depth: u32) -> Taint {
        if !self.step(depth) {
            return Taint::Unknown;
        }
        let d = depth + 1;
        match request_root(e) {
            Some(true) => return Taint::Request,
            Some(false) => return Taint::Unknown,
            None => {}
        }
        match &e.kind {
            ExprKind::Str(_) | ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::NoneLit => {
                Taint::Constant
            }
            ExprKind::Type(_) => Taint::Constant,
            ExprKind::FStr(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    StrPart::Expr(x) => Some(self.taint(x, pos, d)),
                    StrPart::Lit(_) => None,
                })
                .fold(Taint::Constant, join),
            ExprKind::Name(n) => self.name_taint(e, n, pos, d),
            // Dialect snippets of a database wrapper (`db.timestamp_now`,
            // `db.big_int`) are configuration, not data.
            ExprKind::Attr(base, _) if self.db_handle(base, pos, 0) => Taint::Constant,
            ExprKind::Attr(..) if model_metadata(e) => Taint::Constant,
            ExprKind::Attr(base, _) => match self.definition(e) {
                Some((value, scope)) => scope.taint(value, Pos::default(), d),
                None => self.taint(base, pos, d),
            },
            ExprKind::Subscript(v, _) => self.taint(v, pos, d),
            ExprKind::Call { func, args } => self.call_taint(func, args, pos, d),
            // Comparisons give booleans.
            ExprKind::Binary(
                BinOp::Eq | BinOp::NotEq | BinOp::In | BinOp::NotIn | BinOp::Lt | BinOp::Gt,
                ..,
            ) => Taint::Constant,
            ExprKind::Binary(BinOp::Add, ..) => add_operands(e)
                .into_iter()
                .fold(Taint::Constant, |t, x| join(t, self.taint(x, pos, d))),
            ExprKind::Binary(_, l, r) => join(self.taint(l, pos, d), self.taint(r, pos, d)),
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => self.all(xs, pos, d),
            ExprKind::Dict(kvs) => kvs.iter().fold(Taint::Constant, |t, (k, v)| {
                join(t, join(self.taint(k, pos, d), self.taint(v, pos, d)))
            }),
            // `not x`, `-x`, `~x`: booleans and numbers.
            ExprKind::Unary(_) => Taint::Constant,
            ExprKind::Await(x) => self.taint(x, pos, d),
            // `a if cond else b`: the branches, not the condition.
            ExprKind::Other(xs) if xs.len() == 3 => {
                join(self.taint(&xs[0], pos, d), self.taint(&xs[2], pos, d))
            }
            ExprKind::Other(xs) if !xs.is_empty() => self.all(xs, pos, d),
            // A comprehension: its elements and what it iterates.
            ExprKind::Other(_) => self.comprehension_taint(e, pos, d),
            // A closure: what it returns, where its parameters are bound.
            ExprKind::Lambda { body, .. } => body
                .iter()
                .filter_map(|s| match &s.kind {
                    StmtKind::Return(x) => Some(self.taint(x, s.span.start, d)),
                    _ => None,
                })
                .fold(Taint::Constant, join),
            _ => Taint::Unknown,
        }
    }

    fn all(&self, xs: &'p [Expr], pos: Pos, d: u32) -> Taint {
        xs.iter()
            .fold(Taint::Constant, |t, x| join(t, self.taint(x, pos, d)))
    }

    /// The taint of a comprehension lowered at `e` (an empty `Other`): its
    /// loops' iterables and its element statements. Unknown when `e` is no
    /// comprehension (something the extractor did not lower).
    fn comprehension_taint(&self, e: &'p Expr, pos: Pos, d: u32) -> Taint {
        let Some(func) = self.func else {
            return Taint::Unknown;
        };
        let mut found = false;
        let mut elements = false;
        let mut t = Taint::Constant;
        let mut iters = Taint::Constant;
        for (i, l) in func.loops.iter().enumerate() {
            if l.kind != LoopKind::Comprehension || !e.span.contains(&l.span) {
                continue;
            }
            found = true;
            if let Some(iter) = &l.iter {
                iters = join(iters, self.taint(iter, pos, d));
            }
            for s in func
                .body
                .iter()
                .filter(|s| s.loop_idx == Some(i as u32) && e.span.contains(&s.span))
            {
                // At the element, where the comprehension's variables are bound.
                if let StmtKind::Expr(x) = &s.kind {
                    elements = true;
                    t = join(t, self.taint(x, s.span.start, d));
                }
            }
        }
        // The elements reach the iterables through the loop variables, so
        // `identifier(n) for n in names` is as safe as `identifier`; only
        // with no element seen does the iterable stand for them.
        match (found, elements) {
            (false, _) => Taint::Unknown,
            (true, true) => t,
            (true, false) => iters,
        }
    }

    fn args(&self, args: &'p [Arg], pos: Pos, d: u32) -> Taint {
        args.iter().fold(Taint::Constant, |t, a| {
            join(t, self.taint(&a.value, pos, d))
        })
    }

    fn name_taint(&self, e: &'p Expr, n: &str, pos: Pos, d: u32) -> Taint {
        let py = &raw().python;
        if self.allow_listed(n, pos) {
            return Taint::Constant;
        }
        let defs = self.defs(n, pos);
        if !defs.is_empty() {
            return defs.iter().fold(Taint::Constant, |t, def| {
                let one = match def.kind {
                    DefKind::Assign { value, annotation } => {
                        if annotation.is_some_and(harmless_annotation) {
                            Taint::Constant
                        } else {
                            self.taint(value, def.at, d)
                        }
                    }
                    DefKind::Augment(v) | DefKind::LoopVar(v) | DefKind::Unpack(v) => {
                        self.taint(v, def.at, d)
                    }
                    DefKind::Counter => Taint::Constant,
                    DefKind::Mutate(_, args) | DefKind::Write(args) => self.args(args, def.at, d),
                };
                join(t, one)
            });
        }
        if let Some(p) = self.param(n) {
            if p.kind == ParamKind::SelfParam {
                return Taint::Unknown;
            }
            if p.annotation.as_ref().is_some_and(harmless_annotation) {
                return Taint::Constant;
            }
            let dependency = p
                .default
                .as_ref()
                .and_then(|x| x.last_name())
                .is_some_and(|c| py.dependency_calls.matches(c));
            if !self.is_handler && raw().sql.sql_params.matches(n) {
                return Taint::Constant;
            }
            return match (self.is_handler, dependency) {
                (_, true) => Taint::Unknown,
                (true, false) => Taint::Request,
                (false, false) => Taint::Parameter,
            };
        }
        match self.definition(e) {
            Some((value, scope)) => scope.taint(value, Pos::default(), d),
            None => Taint::Unknown,
        }
    }

    /// Whether the function checked `n` against a fixed collection of strings
    /// before `pos` (`if field not in ("name", "created"): return`,
    /// `assert order in ALLOWED_ORDERS`): the allow-list this rule asks for.
    fn allow_listed(&self, n: &str, pos: Pos) -> bool {
        let Some(func) = self.func else {
            return false;
        };
        let mut found = false;
        for stmt in func.body.iter().take_while(|s| s.span.start < pos) {
            let StmtKind::Expr(cond) = &stmt.kind else {
                continue;
            };
            archlint_model::visit::walk_expr(cond, |x| {
                if let ExprKind::Binary(BinOp::In | BinOp::NotIn, l, r) = &x.kind
                    && matches!(&l.kind, ExprKind::Name(m) if m == n)
                    && self.constant_strings(r, stmt.span.start)
                {
                    found = true;
                }
            });
            if found {
                return true;
            }
        }
        false
    }

    /// A literal list, tuple or set of strings, or a name bound to one (a
    /// module or class constant, `frozenset({...})` included).
    fn constant_strings(&self, e: &'p Expr, pos: Pos) -> bool {
        let literal = |e: &Expr| {
            let e = match &e.kind {
                ExprKind::Call { func, args }
                    if matches!(func.last_name(), Some("frozenset" | "set" | "tuple"))
                        && args.len() == 1 =>
                {
                    &args[0].value
                }
                _ => e,
            };
            matches!(&e.kind, ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs)
                if !xs.is_empty() && xs.iter().all(|x| matches!(x.kind, ExprKind::Str(_))))
        };
        if literal(e) {
            return true;
        }
        if let ExprKind::Name(n) = &e.kind
            && !self.defs(n, pos).is_empty()
        {
            // A local list, unchanged since it was written.
            return self
                .last_assign(n, pos)
                .is_some_and(|(v, _, after)| after.is_empty() && literal(v));
        }
        matches!(e.kind, ExprKind::Name(_) | ExprKind::Attr(..))
            && self.definition(e).is_some_and(|(v, _)| literal(v))
    }

    /// `qn = connection.ops.quote_name` and then `qn(name)`: a local name
    /// bound only to a quoting function quotes too.
    fn sanitizer_alias(&self, func: &'p Expr, pos: Pos) -> bool {
        let ExprKind::Name(n) = &func.kind else {
            return false;
        };
        let defs = self.defs(n, pos);
        !defs.is_empty()
            && defs.iter().all(|d| match d.kind {
                DefKind::Assign { value, .. } => {
                    matches!(value.kind, ExprKind::Attr(..) | ExprKind::Name(_))
                        && value
                            .last_name()
                            .is_some_and(|l| raw().sql.is_sanitizer(l, None))
                }
                _ => false,
            })
    }

    fn call_taint(&self, func: &'p Expr, args: &'p [Arg], pos: Pos, d: u32) -> Taint {
        let py = &raw().python;
        let resolved = self.cx.index.resolve_expr(self.file, func);
        let path = match &resolved {
            Some(Symbol::External(p)) => Some(p.as_str()),
            _ => None,
        };
        let Some(last) = func.last_name() else {
            return Taint::Unknown;
        };
        if raw().sql.is_sanitizer(last, path) || self.sanitizer_alias(func, pos) {
            return Taint::Constant;
        }
        if self.is_text_wrapper(func) {
            return self.args(args, pos, d);
        }
        // A function, or a function of an imported module (`sa.text`, `math.ceil`).
        let function = match &func.kind {
            ExprKind::Name(_) => true,
            ExprKind::Attr(recv, _) => matches!(
                self.cx.index.resolve_expr(self.file, recv),
                Some(Symbol::Module(_) | Symbol::External(_))
            ),
            _ => false,
        };
        if function {
            if matches!(resolved, Some(Symbol::Func(_) | Symbol::Class(_))) {
                return Taint::Unknown;
            }
            return if py.harmless_calls.matches(last) {
                Taint::Constant
            } else if py.pass_through_calls.matches(last) {
                self.args(args, pos, d)
            } else {
                Taint::Unknown
            };
        }
        let ExprKind::Attr(recv, m) = &func.kind else {
            return Taint::Unknown;
        };
        if HARMLESS_METHODS.contains(&m.as_str()) {
            return Taint::Constant;
        }
        // `db.timestamp_placeholder("now")`: what the wrapper makes of its arguments.
        if self.db_handle(recv, pos, 0) {
            return self.args(args, pos, d);
        }
        let recv_taint = self.taint(recv, pos, d);
        // `ALLOWED.get(key, default)`: the value comes from the container.
        let args_taint = if matches!(m.as_str(), "get" | "pop" | "setdefault") {
            self.args(args.get(1..).unwrap_or(&[]), pos, d)
        } else {
            self.args(args, pos, d)
        };
        join(recv_taint, args_taint)
    }
}

/// `Some(true)` when `e` reads request input (`request.args[...]`,
/// `request.GET.get(...)`, `request.get_json()`), `Some(false)` for other
/// attributes of a request object (`request.user.id`: not input), `None`
/// when `e` is not rooted at a request name.
fn request_root(e: &Expr) -> Option<bool> {
    let py = &raw().python;
    let mut cur = e;
    let mut first_attr: Option<&str> = None;
    for _ in 0..64 {
        match &cur.kind {
            ExprKind::Attr(v, a) => {
                first_attr = Some(a);
                cur = v;
            }
            ExprKind::Subscript(v, _) => cur = v,
            ExprKind::Call { func, .. } if matches!(func.kind, ExprKind::Attr(..)) => cur = func,
            ExprKind::Await(v) => cur = v,
            ExprKind::Name(n) if py.request_names.matches(n) => {
                return first_attr.map(|a| py.request_attrs.matches(a));
            }
            _ => return None,
        }
    }
    None
}

/// An annotation naming a type whose values cannot carry SQL (`int`, `UUID`,
/// `Optional[int]`).
fn harmless_annotation(a: &Expr) -> bool {
    let py = &raw().python;
    match &a.kind {
        ExprKind::Subscript(base, inner) if base.last_name() == Some("Optional") => {
            inner.iter().all(harmless_annotation)
        }
        _ => a.last_name().is_some_and(|n| py.harmless_types.matches(n)),
    }
}

/// Whether `e` reads ORM model metadata (`[python] model_metadata`): its
/// chain of names and attributes, through subscripts, contains one of the
/// paths.
fn model_metadata(e: &Expr) -> bool {
    let mut attrs: Vec<&str> = Vec::new();
    let mut cur = e;
    for _ in 0..32 {
        match &cur.kind {
            ExprKind::Attr(base, a) => {
                attrs.push(a);
                cur = base;
            }
            ExprKind::Subscript(base, _) => cur = base,
            // The root counts too: a parameter named `metadata`.
            ExprKind::Name(n) => {
                attrs.push(n);
                break;
            }
            _ => break,
        }
    }
    attrs.reverse();
    raw().python.model_metadata.iter().any(|path| {
        let want: Vec<&str> = path.split('.').collect();
        attrs.windows(want.len()).any(|w| w == want.as_slice())
    })
}
