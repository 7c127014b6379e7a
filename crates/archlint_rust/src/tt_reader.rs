//! The expression reader for one piece of a token tree: literals, paths,
//! calls `f(..)`, nested macros `m!(..)`, method calls and fields
//! `a.b(..).c`, `.await`, `?`, unary `! - * &`, casts `x as T` (transparent),
//! struct literals `User { id: 1 }`, bracketed groups, and binary operators
//! folded left to right. Tracing's sigils `%x`/`?x` are looked through.
//! What cannot be read ends the piece as `Other` of what was read so far.
//! Recursion is depth-bounded and operator and postfix runs are counted.

use crate::expr::binop;
use crate::kinds::Kind;
use crate::lower::{Lowerer, MAX_CHAIN, MAX_DEPTH};
use crate::tokens::macro_kind;
use archlint_model::{Expr, ExprKind, Span};
use tree_sitter::Node;

impl<'a> Lowerer<'a> {
    /// Reads a whole piece: operands joined by binary operators, left to right.
    pub(crate) fn tt_expr(&mut self, toks: &[Node<'a>], depth: u32) -> Expr {
        let Some((first, last)) = toks.first().zip(toks.last()) else {
            return Expr::new(ExprKind::Other(Vec::new()), Span::default());
        };
        if depth > MAX_DEPTH {
            return self.truncated(*first);
        }
        let mut pos = 0;
        let mut acc = self.tt_unary(toks, &mut pos, depth + 1);
        let mut ops = 0;
        while let Some(&tok) = toks.get(pos) {
            let k = self.kind(tok);
            if k == Kind::AsKw {
                // `x as T`: the cast is transparent; skip the type.
                pos += 1;
                while toks.get(pos).is_some_and(|t| !is_binop(self.kind(*t))) {
                    pos += 1;
                }
                continue;
            }
            if !is_binop(k) || ops >= MAX_DEPTH {
                // Unreadable remainder: keep what was read.
                if ops >= MAX_DEPTH {
                    self.facts.truncated = true;
                }
                let span = self.span2(*first, *last);
                return Expr::new(ExprKind::Other(vec![acc]), span);
            }
            pos += 1;
            ops += 1;
            let rhs = self.tt_unary(toks, &mut pos, depth + 1);
            let span = Span::new(acc.span.start, rhs.span.end);
            acc = Expr::new(
                ExprKind::Binary(binop(k), Box::new(acc), Box::new(rhs)),
                span,
            );
        }
        acc
    }

    fn tt_unary(&mut self, toks: &[Node<'a>], pos: &mut usize, depth: u32) -> Expr {
        let Some(&tok) = toks.get(*pos) else {
            let span = toks.last().map_or_else(Span::default, |n| self.span(*n));
            return Expr::new(ExprKind::Other(Vec::new()), span);
        };
        if depth > MAX_DEPTH {
            *pos = toks.len();
            return self.truncated(tok);
        }
        match self.kind(tok) {
            Kind::Amp | Kind::Percent | Kind::Question => {
                *pos += 1;
                if toks
                    .get(*pos)
                    .is_some_and(|t| self.kind(*t) == Kind::MutableSpecifier)
                {
                    *pos += 1;
                }
                self.tt_unary(toks, pos, depth + 1)
            }
            Kind::Star | Kind::Bang | Kind::Minus => {
                *pos += 1;
                let inner = self.tt_unary(toks, pos, depth + 1);
                let span = Span::new(self.span(tok).start, inner.span.end);
                Expr::new(ExprKind::Unary(Box::new(inner)), span)
            }
            _ => self.tt_postfix(toks, pos, depth),
        }
    }

    fn tt_postfix(&mut self, toks: &[Node<'a>], pos: &mut usize, depth: u32) -> Expr {
        let mut e = self.tt_primary(toks, pos, depth);
        let mut links = 0;
        while let Some(&tok) = toks.get(*pos) {
            links += 1;
            if links > MAX_CHAIN {
                self.facts.truncated = true;
                *pos = toks.len();
                break;
            }
            let start = e.span.start;
            let end_at = |this: &Self, n: Node<'a>| Span::new(start, this.span(n).end);
            match self.kind(tok) {
                Kind::Dot => {
                    let Some(&field) = toks.get(*pos + 1) else {
                        *pos += 1;
                        break;
                    };
                    *pos += 2;
                    if self.kind(field) == Kind::AwaitKw {
                        e = Expr::new(ExprKind::Await(Box::new(e)), end_at(self, field));
                        continue;
                    }
                    self.skip_turbofish(toks, pos);
                    let attr = Expr::new(
                        ExprKind::Attr(Box::new(e), self.text(field).to_owned()),
                        end_at(self, field),
                    );
                    e = match toks.get(*pos) {
                        Some(&tt)
                            if self.kind(tt) == Kind::TokenTree
                                && self.delimiter(tt) == Kind::LParen =>
                        {
                            *pos += 1;
                            let args = self.tt_args(tt, depth + 1);
                            let span = end_at(self, tt);
                            Expr::new(
                                ExprKind::Call {
                                    func: Box::new(attr),
                                    args,
                                },
                                span,
                            )
                        }
                        _ => attr,
                    };
                }
                Kind::Question => *pos += 1,
                Kind::TokenTree if self.delimiter(tok) == Kind::LBracket => {
                    *pos += 1;
                    let inner = self.tt_tokens(tok);
                    let idx = self.tt_expr(&inner, depth + 1);
                    e = Expr::new(
                        ExprKind::Subscript(Box::new(e), vec![idx]),
                        end_at(self, tok),
                    );
                }
                Kind::TokenTree if self.delimiter(tok) == Kind::LParen => {
                    *pos += 1;
                    let args = self.tt_args(tok, depth + 1);
                    e = Expr::new(
                        ExprKind::Call {
                            func: Box::new(e),
                            args,
                        },
                        end_at(self, tok),
                    );
                }
                _ => break,
            }
        }
        e
    }

    fn tt_primary(&mut self, toks: &[Node<'a>], pos: &mut usize, depth: u32) -> Expr {
        let Some(&tok) = toks.get(*pos) else {
            return Expr::new(ExprKind::Other(Vec::new()), Span::default());
        };
        let span = self.span(tok);
        let kind = match self.kind(tok) {
            Kind::StringLiteral => ExprKind::Str(self.string_value(tok)),
            Kind::RawStringLiteral => ExprKind::Str(self.raw_string_value(tok)),
            Kind::CharLiteral => ExprKind::Str(self.char_value(tok)),
            Kind::IntegerLiteral | Kind::FloatLiteral => {
                ExprKind::Number(self.text(tok).to_owned())
            }
            Kind::BooleanLiteral => ExprKind::Bool(self.text(tok) == "true"),
            Kind::Identifier
            | Kind::SelfKw
            | Kind::Crate
            | Kind::Super
            | Kind::Metavariable
            | Kind::PrimitiveType
            | Kind::ColonColon => return self.tt_path(toks, pos, depth),
            Kind::TokenTree => {
                *pos += 1;
                return self.tt_group(tok, depth + 1);
            }
            _ => {
                // Closures, keywords, stray punctuation: give up on the piece.
                *pos = toks.len();
                return Expr::new(ExprKind::Other(Vec::new()), span);
            }
        };
        *pos += 1;
        Expr::new(kind, span)
    }

    /// A path, and what may follow it: `!(..)` (macro), `(..)` (call),
    /// `{..}` (struct literal, when the name is capitalised).
    fn tt_path(&mut self, toks: &[Node<'a>], pos: &mut usize, depth: u32) -> Expr {
        let start = *pos;
        let mut segs: Vec<String> = Vec::new();
        while let Some(&tok) = toks.get(*pos) {
            match self.kind(tok) {
                Kind::ColonColon => {
                    *pos += 1;
                    self.skip_turbofish(toks, pos);
                }
                Kind::Identifier
                | Kind::SelfKw
                | Kind::Crate
                | Kind::Super
                | Kind::Metavariable
                | Kind::PrimitiveType
                    if segs.is_empty()
                        || toks
                            .get(*pos - 1)
                            .is_some_and(|p| self.kind(*p) == Kind::ColonColon) =>
                {
                    segs.push(self.text(tok).to_owned());
                    *pos += 1;
                }
                _ => break,
            }
        }
        let first = toks.get(start).copied();
        let last = toks.get(pos.saturating_sub(1)).copied();
        let span = match first.zip(last) {
            Some((f, l)) => self.span2(f, l),
            None => Span::default(),
        };
        if segs.is_empty() {
            return Expr::new(ExprKind::Other(Vec::new()), span);
        }
        // `name!(..)`: a nested macro.
        if let (Some(&bang), Some(&tt)) = (toks.get(*pos), toks.get(*pos + 1))
            && self.kind(bang) == Kind::Bang
            && self.kind(tt) == Kind::TokenTree
        {
            *pos += 2;
            let args = self.tt_args(tt, depth + 1);
            let end = self.span(tt).end;
            return Expr::new(macro_kind(segs, args), Span::new(span.start, end));
        }
        let is_type = segs
            .last()
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_uppercase);
        let func = self.path_expr(segs, span);
        match toks.get(*pos) {
            Some(&tt) if self.kind(tt) == Kind::TokenTree && self.delimiter(tt) == Kind::LParen => {
                *pos += 1;
                let args = self.tt_args(tt, depth + 1);
                let span = Span::new(span.start, self.span(tt).end);
                Expr::new(
                    ExprKind::Call {
                        func: Box::new(func),
                        args,
                    },
                    span,
                )
            }
            Some(&tt)
                if is_type
                    && self.kind(tt) == Kind::TokenTree
                    && self.delimiter(tt) == Kind::LBrace =>
            {
                *pos += 1;
                let args = self.tt_fields(tt, depth + 1);
                let span = Span::new(span.start, self.span(tt).end);
                Expr::new(
                    ExprKind::Call {
                        func: Box::new(func),
                        args,
                    },
                    span,
                )
            }
            _ => func,
        }
    }

    /// Skips `<...>` right after `::` (turbofish) with bracket counting.
    fn skip_turbofish(&self, toks: &[Node<'a>], pos: &mut usize) {
        if toks.get(*pos).is_none_or(|t| self.kind(*t) != Kind::Lt) {
            return;
        }
        let mut level = 0i32;
        while let Some(&t) = toks.get(*pos) {
            *pos += 1;
            match self.kind(t) {
                Kind::Lt => level += 1,
                Kind::Gt => level -= 1,
                Kind::Shr => level -= 2,
                _ => {}
            }
            if level <= 0 {
                break;
            }
        }
        // `::<T>::new`: the next `::` continues the path.
        if toks
            .get(*pos)
            .is_some_and(|t| self.kind(*t) == Kind::ColonColon)
        {
            *pos += 1;
        }
    }
}

fn is_binop(k: Kind) -> bool {
    matches!(
        k,
        Kind::Plus
            | Kind::Minus
            | Kind::Star
            | Kind::Slash
            | Kind::Percent
            | Kind::EqEq
            | Kind::NotEq
            | Kind::AndAnd
            | Kind::OrOr
            | Kind::Lt
            | Kind::Gt
            | Kind::Le
            | Kind::Ge
            | Kind::Amp
            | Kind::Pipe
            | Kind::Caret
            | Kind::Shl
            | Kind::Shr
    )
}
