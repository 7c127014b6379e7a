//! The SQL text of a Python expression, rebuilt: literals (implicit
//! concatenation is one literal already), module and class constants
//! (imported ones too), local variables with their `+=` pieces, and the
//! builders that make text dynamic: f-strings, `%`, `str.format`, `+` and
//! `str.join`. Values inserted at runtime become holes with their taint,
//! unless they resolve to constants, whose text is inserted instead.

use super::eval::Eval;
use crate::db::sqltext::exprs::add_operands;
use crate::db::sqltext::knowledge::raw;
use crate::db::sqltext::locals::DefKind;
use crate::db::sqltext::pieces::{Fmt, Pieces, Slot, parse_braces, parse_percent};
use crate::routes::short;
use archlint_model::{ArgsExt, BinOp, Expr, ExprKind, Hole, Pos, StrPart, Symbol, TextBuilder};

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
            ExprKind::FStr(parts) => {
                let mut out = Pieces {
                    parts: Vec::new(),
                    at: Some(self.location(e.span)),
                };
                for p in parts {
                    match p {
                        StrPart::Lit(s) => out.push_lit(s),
                        StrPart::Expr(x) => out.append(self.value(x, pos, d, TextBuilder::FString)),
                    }
                }
                Some(out)
            }
            ExprKind::Binary(BinOp::Mod, l, r) => {
                let fmt = self.text(l, pos, d)?;
                Some(self.percent(fmt, r, pos, d))
            }
            ExprKind::Binary(BinOp::Add, ..) => {
                // Flat: long `+` chains nest deeper than the depth bound.
                let ops = add_operands(e);
                let texts: Vec<Option<Pieces>> = ops.iter().map(|x| self.text(x, pos, d)).collect();
                if texts.iter().all(Option::is_none) {
                    return None;
                }
                let mut out = Pieces::default();
                for (x, t) in ops.into_iter().zip(texts) {
                    out.append(t.unwrap_or_else(|| self.hole(x, pos, d, TextBuilder::Concat)));
                }
                Some(out)
            }
            ExprKind::Call { func, args } => self.call_text(e, func, args, pos, d),
            ExprKind::Name(n) => self.name_text(e, n, pos, d),
            ExprKind::Attr(..) => self.constant_text(e, d),
            ExprKind::Await(inner) => self.text(inner, pos, d),
            _ => None,
        }
    }

    fn call_text(
        &self,
        call: &'p Expr,
        func: &'p Expr,
        args: &'p [archlint_model::Arg],
        pos: Pos,
        d: u32,
    ) -> Option<Pieces> {
        match &func.kind {
            ExprKind::Attr(recv, m) if m == "format" => {
                let fmt = self.text(recv, pos, d)?;
                Some(self.format(fmt, call, args, pos, d))
            }
            ExprKind::Attr(recv, m) if m == "join" => {
                let sep = self.text(recv, pos, d)?.constant()?;
                let items = args.positional(0)?;
                let mut out = Pieces::default();
                match &items.kind {
                    ExprKind::List(xs) | ExprKind::Tuple(xs) => {
                        for (i, x) in xs.iter().enumerate() {
                            if i > 0 {
                                out.push_lit(&sep);
                            }
                            out.append(self.value(x, pos, d, TextBuilder::Join));
                        }
                    }
                    _ => out.append(self.hole(items, pos, d, TextBuilder::Join)),
                }
                Some(out)
            }
            ExprKind::Attr(recv, m) if matches!(m.as_str(), "strip" | "lstrip" | "rstrip") => {
                // Whitespace trimming of SQL text keeps its meaning.
                self.text(recv, pos, d)
            }
            _ => {
                let arg = args.positional(0)?;
                if self.is_text_wrapper(func)
                    || (func.last_name() == Some("str") && args.len() == 1)
                {
                    return self.text(arg, pos, d);
                }
                None
            }
        }
    }

    /// SQLAlchemy `text(...)` (or `sa.text`, `sqlalchemy.text`), not a project function.
    pub fn is_text_wrapper(&self, func: &Expr) -> bool {
        if func.last_name() != Some("text") {
            return false;
        }
        match self.cx.index.resolve_expr(self.file, func) {
            Some(Symbol::External(p)) => raw().python.text_wrappers.contains(&p),
            None => true,
            _ => false,
        }
    }

    fn name_text(&self, e: &'p Expr, n: &str, pos: Pos, d: u32) -> Option<Pieces> {
        if self.locals.is_some() {
            if let Some((value, at, after)) = self.last_assign(n, pos) {
                let mut out = self.text(value, at, d)?;
                for def in after {
                    if let DefKind::Augment(v) = def.kind {
                        out.append(self.value(v, def.at, d, TextBuilder::Concat));
                    }
                }
                return Some(out);
            }
            if !self.defs(n, pos).is_empty() || self.param(n).is_some() {
                return None;
            }
        }
        self.constant_text(e, d)
    }

    /// The text of a module or class constant: constant only when it lives
    /// in another file (holes there would point into the wrong file).
    fn constant_text(&self, e: &'p Expr, d: u32) -> Option<Pieces> {
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

    /// `fmt % args`.
    fn percent(&self, fmt: Pieces, args: &'p Expr, pos: Pos, d: u32) -> Pieces {
        let Some(text) = fmt.constant() else {
            let mut out = fmt;
            out.append(self.hole(args, pos, d, TextBuilder::Percent));
            return out;
        };
        let mut out = Pieces {
            parts: Vec::new(),
            at: fmt.at,
        };
        let items: Option<&'p [Expr]> = match &args.kind {
            ExprKind::Tuple(xs) => Some(xs),
            _ => None,
        };
        let mut next = 0usize;
        for piece in parse_percent(&text) {
            match piece {
                Fmt::Lit(s) => out.push_lit(&s),
                Fmt::Slot(slot) => {
                    let arg = match (&slot, items, &args.kind) {
                        (Slot::Name(k), _, ExprKind::Dict(kvs)) => kvs
                            .iter()
                            .find(|(key, _)| key.as_str() == Some(k.as_str()))
                            .map(|(_, v)| v),
                        (Slot::Name(_), _, _) => None,
                        (_, Some(xs), _) => {
                            next += 1;
                            xs.get(next - 1)
                        }
                        (_, None, _) => Some(args),
                    };
                    out.append(self.value(arg.unwrap_or(args), pos, d, TextBuilder::Percent));
                }
            }
        }
        out
    }

    /// `fmt.format(args)`.
    fn format(
        &self,
        fmt: Pieces,
        call: &'p Expr,
        args: &'p [archlint_model::Arg],
        pos: Pos,
        d: u32,
    ) -> Pieces {
        let Some(text) = fmt.constant() else {
            let mut out = fmt;
            out.append(self.hole(call, pos, d, TextBuilder::Format));
            return out;
        };
        let mut out = Pieces {
            parts: Vec::new(),
            at: fmt.at,
        };
        let star = args
            .iter()
            .find(|a| matches!(a.name.as_deref(), Some("*" | "**")))
            .map(|a| &a.value);
        let mut next = 0usize;
        for piece in parse_braces(&text) {
            match piece {
                Fmt::Lit(s) => out.push_lit(&s),
                Fmt::Slot(slot) => {
                    let arg = match slot {
                        Slot::Next => {
                            next += 1;
                            args.positional(next - 1)
                        }
                        Slot::Index(i) => args.positional(i),
                        Slot::Name(k) => args.keyword(&k),
                    };
                    let x = arg.or(star).unwrap_or(call);
                    out.append(self.value(x, pos, d, TextBuilder::Format));
                }
            }
        }
        out
    }
}
