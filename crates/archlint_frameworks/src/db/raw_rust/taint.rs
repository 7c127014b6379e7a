//! Where a value inserted into Rust SQL text comes from: constants
//! (literals, consts, loop variables over constant arrays, numbers and
//! other types that cannot carry SQL), request input (extractors such as
//! `Query<..>`, `Json<..>`, `Path<..>`, `Form<..>`, and any other parameter
//! of a route handler except state), a parameter, or unknown.

use super::eval::{Eval, harmless_type, outer_type, type_text};
use crate::db::sqltext::exprs::add_operands;
use crate::db::sqltext::join;
use crate::db::sqltext::knowledge::raw;
use crate::db::sqltext::locals::DefKind;
use archlint_model::{Arg, BinOp, Expr, ExprKind, Param, ParamKind, Pos, StmtKind, Taint};

impl<'a, 'p> Eval<'a, 'p> {
    /// The taint of `e` evaluated at `pos`.
    pub fn taint(&self, e: &'p Expr, pos: Pos, depth: u32) -> Taint {
        if !self.step(depth) {
            return Taint::Unknown;
        }
        let d = depth + 1;
        let rs = &raw().rust;
        match &e.kind {
            ExprKind::Str(_) | ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::Type(_) => {
                Taint::Constant
            }
            ExprKind::Name(n) => self.name_taint(n, e, pos, d),
            ExprKind::Path(_) => match self.definition(e) {
                Some((value, scope)) => scope.taint(value, Pos::default(), d),
                None => Taint::Unknown,
            },
            ExprKind::Attr(base, _) => self.taint(base, pos, d),
            ExprKind::Subscript(v, _) => self.taint(v, pos, d),
            ExprKind::Call { func, args } => match &func.kind {
                ExprKind::Attr(recv, m) => {
                    if rs.harmless_methods.matches(m) {
                        Taint::Constant
                    } else if let Some(f) = mapping_closure(m, args) {
                        // The items are what the closure makes of the
                        // receiver's, which reach it through its parameters.
                        self.taint(f, pos, d)
                    } else {
                        join(self.taint(recv, pos, d), self.args(args, pos, d))
                    }
                }
                _ if func
                    .last_name()
                    .is_some_and(|n| raw().sql.is_sanitizer(n, None)) =>
                {
                    Taint::Constant
                }
                // `i64::from(x)`, `Uuid::parse_str(x)`: numbers and ids.
                ExprKind::Path(segs) if segs.first().is_some_and(|s| harmless_type(s)) => {
                    Taint::Constant
                }
                ExprKind::Path(segs) if segs.first().is_some_and(|s| s == "String") => {
                    self.args(args, pos, d)
                }
                _ => Taint::Unknown,
            },
            ExprKind::Macro { path, args } => match path.last().map(String::as_str) {
                Some("format" | "concat" | "vec") => {
                    // Rebuilt as text, its holes say it all.
                    match self.text(e, pos, d) {
                        Some(p) => p.holes().map(|h| h.taint).fold(Taint::Constant, join),
                        None => self.args(args, pos, d),
                    }
                }
                _ => Taint::Unknown,
            },
            ExprKind::Binary(
                BinOp::Eq | BinOp::NotEq | BinOp::Lt | BinOp::Gt | BinOp::And | BinOp::Or,
                ..,
            ) => Taint::Constant,
            ExprKind::Binary(BinOp::Add, ..) => add_operands(e)
                .into_iter()
                .fold(Taint::Constant, |t, x| join(t, self.taint(x, pos, d))),
            ExprKind::Binary(_, l, r) => join(self.taint(l, pos, d), self.taint(r, pos, d)),
            ExprKind::Unary(x) | ExprKind::Await(x) => self.taint(x, pos, d),
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Other(xs) if !xs.is_empty() => xs
                .iter()
                .fold(Taint::Constant, |t, x| join(t, self.taint(x, pos, d))),
            ExprKind::List(_) | ExprKind::Tuple(_) => Taint::Constant,
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

    fn args(&self, args: &'p [Arg], pos: Pos, d: u32) -> Taint {
        args.iter().fold(Taint::Constant, |t, a| {
            join(t, self.taint(&a.value, pos, d))
        })
    }

    /// The taint of a variable (`e` is a name expression for it, used to
    /// find consts).
    pub fn name_taint(&self, n: &str, e: &Expr, pos: Pos, d: u32) -> Taint {
        let defs = self.defs(n, pos);
        if !defs.is_empty() {
            return defs.iter().fold(Taint::Constant, |t, def| {
                let one = match def.kind {
                    DefKind::Assign { value, annotation } => {
                        if annotation.and_then(type_text).is_some_and(harmless_type) {
                            Taint::Constant
                        } else {
                            self.taint(value, def.at, d)
                        }
                    }
                    DefKind::Augment(v) | DefKind::LoopVar(v) | DefKind::Unpack(v) => {
                        self.taint(v, def.at, d)
                    }
                    DefKind::Counter => Taint::Constant,
                    DefKind::Mutate(_, args) => self.args(args, def.at, d),
                    DefKind::Write(args) => self.args(args.get(1..).unwrap_or(&[]), def.at, d),
                };
                join(t, one)
            });
        }
        if let Some(p) = self.rust_param(n) {
            if !self.is_handler && raw().sql.sql_params.matches(n) {
                return Taint::Constant;
            }
            return self.param_taint(p);
        }
        match self.definition(e) {
            Some((value, scope)) => scope.taint(value, Pos::default(), d),
            None => Taint::Unknown,
        }
    }

    fn param_taint(&self, p: &Param) -> Taint {
        let rs = &raw().rust;
        if p.kind == ParamKind::SelfParam {
            return Taint::Unknown;
        }
        let ty = p.annotation.as_ref().and_then(type_text).unwrap_or("");
        let (outer, inner) = outer_type(ty);
        if rs.non_input.matches(outer) || rs.handle_types.matches(outer) {
            return Taint::Unknown;
        }
        if rs.extractors.matches(outer) {
            return if harmless_type(inner) {
                Taint::Constant
            } else {
                Taint::Request
            };
        }
        if harmless_type(ty) {
            Taint::Constant
        } else if self.is_handler {
            Taint::Request
        } else {
            Taint::Parameter
        }
    }
}

/// The closure of `.map(|x| ..)`, `.filter_map(..)` or `.flat_map(..)`.
fn mapping_closure<'e>(method: &str, args: &'e [Arg]) -> Option<&'e Expr> {
    match (method, args) {
        ("map" | "filter_map" | "flat_map", [a])
            if matches!(a.value.kind, ExprKind::Lambda { .. }) =>
        {
            Some(&a.value)
        }
        _ => None,
    }
}
