//! String literals: plain, raw, bytes, triple-quoted, f-strings, and implicit
//! concatenation of any of them into one `Str` (or one `FStr` when a piece
//! interpolates).

use crate::kinds::K;
use crate::lower::{Cx, Lowerer};
use crate::text::{StrFlags, decode_into};
use archlint_model::{Expr, ExprKind, Span, StrPart};
use tree_sitter::Node;

/// Literal text and interpolated parts gathered across concatenated pieces.
#[derive(Default)]
struct Acc {
    lit: String,
    parts: Vec<StrPart>,
    interpolated: bool,
}

impl Acc {
    fn push_expr(&mut self, e: Expr) {
        if !self.lit.is_empty() {
            self.parts.push(StrPart::Lit(std::mem::take(&mut self.lit)));
        }
        self.parts.push(StrPart::Expr(e));
    }

    fn finish(mut self) -> ExprKind {
        if !self.interpolated {
            return ExprKind::Str(self.lit);
        }
        if !self.lit.is_empty() {
            self.parts.push(StrPart::Lit(self.lit));
        }
        ExprKind::FStr(self.parts)
    }
}

impl<'t> Lowerer<'t> {
    /// A `string` or `concatenated_string` node.
    pub fn string(&mut self, node: Node<'t>, span: Span, cx: Cx) -> Expr {
        let mut acc = Acc::default();
        if self.kind(node) == K::ConcatenatedString {
            let mut kids = self.kids(node);
            while let Some(child) = kids.next() {
                if self.kind(child) == K::String {
                    self.string_piece(child, cx, &mut acc);
                }
            }
            self.done(kids);
        } else {
            self.string_piece(node, cx, &mut acc);
        }
        Expr::new(acc.finish(), span)
    }

    /// One quoted piece. Its body lies between the `string_start` and
    /// `string_end` tokens; interpolations cut it into literal runs, which are
    /// taken from the source bytes directly (escapes included) and decoded.
    fn string_piece(&mut self, node: Node<'t>, cx: Cx, acc: &mut Acc) {
        if self.plain_piece(node, acc) {
            return;
        }
        let f_expression = self.k.f.expression;
        let mut flags = StrFlags::default();
        let mut at = node.start_byte();
        let mut end = node.end_byte();
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            match self.kind(child) {
                K::StringStart => {
                    flags = StrFlags::from_start(self.bytes(child));
                    acc.interpolated |= flags.interpolated;
                    at = child.end_byte();
                }
                K::Interpolation => {
                    self.literal_run(at, child.start_byte(), flags, acc);
                    at = child.end_byte();
                    // The expression only; conversions and format specs are dropped.
                    if let Some(e) = self.child(child, f_expression) {
                        let e = self.expr(e, cx);
                        acc.push_expr(e);
                    }
                }
                K::StringEnd => end = child.start_byte(),
                _ => {}
            }
        }
        self.done(kids);
        self.literal_run(at, end, flags, acc);
    }

    /// Fast path for the common piece without interpolation: prefix, quotes
    /// and body read from the source bytes, without visiting the tokens.
    /// Returns false (and does nothing) for f-strings and anything unusual.
    fn plain_piece(&mut self, node: Node<'t>, acc: &mut Acc) -> bool {
        let text = self.bytes(node);
        let prefix = text.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let flags = StrFlags::from_start(text.get(..prefix).unwrap_or_default());
        let Some(&quote) = text.get(prefix) else {
            return false;
        };
        if flags.interpolated || !(quote == b'"' || quote == b'\'') || node.has_error() {
            return false;
        }
        let triple = text.get(prefix..prefix + 3) == Some(&[quote; 3][..]);
        let q = if triple { 3 } else { 1 };
        let body = match text.len().checked_sub(q) {
            Some(end)
                if end >= prefix + q
                    && text
                        .get(end..)
                        .is_some_and(|t| t.iter().all(|&b| b == quote)) =>
            {
                text.get(prefix + q..end)
            }
            _ => None,
        };
        let Some(body) = body else { return false };
        let from = node.start_byte() + prefix + q;
        decode_into(&self.str_at(from, from + body.len()), flags, &mut acc.lit);
        true
    }

    /// Whether a `string` node is an f-string (or t-string), from its prefix.
    pub fn interpolates(&self, node: Node<'t>) -> bool {
        StrFlags::from_start(self.bytes(node)).interpolated
    }

    fn literal_run(&self, from: usize, to: usize, flags: StrFlags, acc: &mut Acc) {
        decode_into(&self.str_at(from, to), flags, &mut acc.lit);
    }
}
