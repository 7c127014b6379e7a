//! The SQL text of a Rust expression, rebuilt: string and raw string
//! literals, `const` items (module-level, associated, imported through
//! `use`), `concat!`, `String::from`/`to_string()` and friends, local
//! `let` bindings with their `push_str`/`+=`/`write!` pieces, `format!`
//! (positional, indexed, named and inline-captured arguments) and `+`.
//! `include_str!` and `query_file!` text is not read (unknown).

use super::eval::Eval;
use crate::db::sqltext::exprs::add_operands;
use crate::db::sqltext::locals::DefKind;
use crate::db::sqltext::pieces::{Fmt, Pieces, Slot, parse_braces};
use crate::routes::short;
use archlint_model::{Arg, ArgsExt, BinOp, Expr, ExprKind, Hole, Pos, Span, TextBuilder};

/// Methods returning the text of their receiver.
const SAME_TEXT: &[&str] = &[
    "as_ref",
    "as_str",
    "borrow",
    "clone",
    "into",
    "to_owned",
    "to_string",
    "trim",
];

impl<'a, 'p> Eval<'a, 'p> {
    /// The text of `e` at `pos`, or `None` when `e` is not text we can follow.
    pub fn text(&self, e: &'p Expr, pos: Pos, depth: u32) -> Option<Pieces> {
        if !self.step(depth) {
            return None;
        }
        let d = depth + 1;
        match &e.kind {
            ExprKind::Str(s) => Some(Pieces::lit(s.as_str(), Some(self.location(e.span)))),
            ExprKind::Number(n) => Some(Pieces::lit(n.as_str(), None)),
            ExprKind::Unary(inner) | ExprKind::Await(inner) => self.text(inner, pos, d),
            ExprKind::Binary(BinOp::Add, ..) => {
                // `String + &str`: the first operand must be text. Flat, as
                // long chains nest deeper than the depth bound.
                let ops = add_operands(e);
                let (first, rest) = ops.split_first()?;
                let mut out = self.text(first, pos, d)?;
                for x in rest {
                    out.append(self.value(x, pos, d, TextBuilder::Concat));
                }
                Some(out)
            }
            ExprKind::Macro { path, args } => match path.last().map(String::as_str) {
                Some("format") => self.format(args, e.span, pos, d, TextBuilder::FormatMacro),
                Some("concat") => {
                    let mut out = Pieces::default();
                    for a in args.iter() {
                        out.append(self.text(&a.value, pos, d)?);
                    }
                    Some(out)
                }
                _ => None,
            },
            ExprKind::Call { func, args } => match &func.kind {
                ExprKind::Path(segs) if segs.first().is_some_and(|s| s == "String") => {
                    match segs.last().map(String::as_str) {
                        Some("new" | "with_capacity") => Some(Pieces::default()),
                        Some("from" | "from_str") => self.text(args.positional(0)?, pos, d),
                        _ => None,
                    }
                }
                ExprKind::Attr(recv, m) if SAME_TEXT.contains(&m.as_str()) => {
                    self.text(recv, pos, d)
                }
                // `parts.join(" AND ")`: the parts are not known one by one.
                ExprKind::Attr(recv, m)
                    if m == "join"
                        && args
                            .positional(0)
                            .is_some_and(|s| self.text(s, pos, d).is_some()) =>
                {
                    Some(self.hole(recv, pos, d, TextBuilder::Join))
                }
                _ => None,
            },
            ExprKind::Name(n) => self.name_text(n, e, pos, d),
            ExprKind::Path(_) => self.constant_text(e, d),
            _ => None,
        }
    }

    fn name_text(&self, n: &str, e: &Expr, pos: Pos, d: u32) -> Option<Pieces> {
        if self.locals.is_some() {
            if let Some((value, at, after)) = self.last_assign(n, pos) {
                let mut out = self.text(value, at, d)?;
                for def in after {
                    match def.kind {
                        DefKind::Augment(v) => {
                            out.append(self.value(v, def.at, d, TextBuilder::PushStr))
                        }
                        DefKind::Mutate("push_str" | "push" | "write_str", args) => {
                            if let Some(v) = args.positional(0) {
                                out.append(self.value(v, def.at, d, TextBuilder::PushStr));
                            }
                        }
                        DefKind::Write(args) => {
                            let rest = args.get(1..).unwrap_or(&[]);
                            let span = rest.first().map_or(Span::default(), |a| a.value.span);
                            if let Some(p) =
                                self.format(rest, span, def.at, d, TextBuilder::PushStr)
                            {
                                out.append(p);
                            }
                        }
                        _ => {}
                    }
                }
                return Some(out);
            }
            if !self.defs(n, pos).is_empty() || self.rust_param(n).is_some() {
                return None;
            }
        }
        self.constant_text(e, d)
    }

    /// A const's text; constant only when it lives in another file.
    fn constant_text(&self, e: &Expr, d: u32) -> Option<Pieces> {
        let (value, scope) = self.definition(e)?;
        let out = scope.text(value, Pos::default(), d)?;
        if scope.file != self.file && out.constant().is_none() {
            return None;
        }
        Some(out)
    }

    /// The text of a value inserted into SQL text: its own text when it is
    /// text we can follow, else a hole.
    pub fn value(&self, x: &'p Expr, pos: Pos, d: u32, builder: TextBuilder) -> Pieces {
        match self.text(x, pos, d) {
            Some(p) => p,
            None => self.hole(x, pos, d, builder),
        }
    }

    /// A hole for `x`, with its taint.
    pub fn hole(&self, x: &'p Expr, pos: Pos, d: u32, builder: TextBuilder) -> Pieces {
        Pieces::hole(
            Hole {
                text: short(x),
                span: x.span,
                taint: self.taint(x, pos, d),
            },
            builder,
        )
    }

    /// `format!(fmt, args..)` (also the tail of `write!`): the format
    /// string must be constant text.
    fn format(
        &self,
        args: &'p [Arg],
        span: Span,
        pos: Pos,
        d: u32,
        builder: TextBuilder,
    ) -> Option<Pieces> {
        let (fmt_arg, rest) = args.split_first()?;
        let fmt = self.text(&fmt_arg.value, pos, d)?;
        let text = fmt.constant()?;
        let positional: Vec<&'p Expr> = rest
            .iter()
            .filter(|a| a.name.is_none())
            .map(|a| &a.value)
            .collect();
        let mut out = Pieces {
            parts: Vec::new(),
            at: fmt.at,
        };
        let mut next = 0usize;
        for piece in parse_braces(&text) {
            match piece {
                Fmt::Lit(s) => out.push_lit(&s),
                Fmt::Slot(slot) => {
                    let arg = match &slot {
                        Slot::Next => {
                            next += 1;
                            positional.get(next - 1).copied()
                        }
                        Slot::Index(i) => positional.get(*i).copied(),
                        Slot::Name(k) => rest
                            .iter()
                            .find(|a| a.name.as_deref() == Some(k.as_str()))
                            .map(|a| &a.value),
                    };
                    match (arg, slot) {
                        (Some(x), _) => out.append(self.value(x, pos, d, builder)),
                        // `{name}` captures a variable in scope.
                        (None, Slot::Name(k)) => {
                            out.append(self.capture(&k, span, pos, d, builder))
                        }
                        (None, _) => out.push_hole(
                            Hole {
                                text: "?".into(),
                                span,
                                taint: archlint_model::Taint::Unknown,
                            },
                            builder,
                        ),
                    }
                }
            }
        }
        Some(out)
    }

    /// The text of a variable captured by a format string (`{table}`).
    fn capture(&self, n: &str, span: Span, pos: Pos, d: u32, builder: TextBuilder) -> Pieces {
        let e = Expr::new(ExprKind::Name(n.to_string()), span);
        if let Some(p) = self.name_text(n, &e, pos, d) {
            return p;
        }
        Pieces::hole(
            Hole {
                text: n.to_string(),
                span,
                taint: self.name_taint(n, &e, pos, d),
            },
            builder,
        )
    }
}
