//! Token trees (macro and attribute arguments) lowered best-effort.
//!
//! The tree is split on top-level commas and each piece read by the small
//! expression reader of [`crate::tt_reader`]. `name = value` pieces (also
//! tracing's dotted `a.b = value`) are named args (`rank = 2`,
//! `method = "GET"`, `format!("{x}", x = 1)`). A bracketed group on its own
//! is a `[..]` list, a `(..)` group or tuple, or a `{"k": v}` object (`Dict`)
//! when every entry has a key, else `Other` of the entries.
//!
//! `vec![a, b]` is a `List`, every other macro a `Macro { path, args }`:
//! `routes![a, b::c]`, `sqlx::query!("SELECT ..", id)`, `format!("..", x)`,
//! `json!({..})`.

use crate::kinds::Kind;
use crate::lower::{Lowerer, MAX_DEPTH};
use archlint_model::{Arg, Expr, ExprKind};
use tree_sitter::Node;

impl<'a> Lowerer<'a> {
    /// A `macro_invocation` node.
    pub(crate) fn macro_call(&mut self, node: Node<'a>, depth: u32) -> ExprKind {
        let path = match self.field(node, self.t.f.macro_) {
            Some(m) => self.path_segments(m),
            None => Vec::new(),
        };
        let args = match self.child_of_kind(node, Kind::TokenTree) {
            Some(tt) => self.tt_args(tt, depth + 1),
            None => Vec::new(),
        };
        macro_kind(path, args)
    }

    /// The comma-separated arguments of a token tree.
    pub(crate) fn tt_args(&mut self, tt: Node<'a>, depth: u32) -> Vec<Arg> {
        if depth > MAX_DEPTH {
            self.facts.truncated = true;
            return Vec::new();
        }
        let toks = self.tt_tokens(tt);
        let t = self.t;
        let mut args = Vec::new();
        for piece in toks.split(|n| t.kind(*n) == Kind::Comma) {
            if piece.is_empty() {
                continue;
            }
            args.push(self.tt_arg(piece, depth));
        }
        args
    }

    /// The tokens between a token tree's delimiters, comments excluded.
    pub(crate) fn tt_tokens(&mut self, tt: Node<'a>) -> Vec<Node<'a>> {
        let mut toks = Vec::new();
        let mut c = self.cursor(tt);
        if c.goto_first_child() {
            loop {
                let n = c.node();
                if !self.kind(n).is_comment() {
                    toks.push(n);
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        self.done(c);
        // Drop the delimiters when both are there (a MISSING closer may not be).
        let open = toks.first().map(|n| self.kind(*n));
        if matches!(open, Some(Kind::LParen | Kind::LBracket | Kind::LBrace)) {
            toks.remove(0);
            let close = toks.last().map(|n| self.kind(*n));
            if matches!(close, Some(Kind::RParen | Kind::RBracket | Kind::RBrace)) {
                toks.pop();
            }
        }
        toks
    }

    pub(crate) fn delimiter(&self, tt: Node<'a>) -> Kind {
        tt.child(0).map_or(Kind::Unknown, |n| self.kind(n))
    }

    /// One argument; `name = value` (also tracing's dotted `a.b = value`) is named.
    fn tt_arg(&mut self, piece: &[Node<'a>], depth: u32) -> Arg {
        if let Some(eq) = piece.iter().position(|n| self.kind(*n) == Kind::Eq)
            && eq % 2 == 1
            && eq + 1 < piece.len()
            && let (Some(name), Some(rest)) = (piece.get(..eq), piece.get(eq + 1..))
            && name.iter().enumerate().all(|(i, n)| {
                self.kind(*n)
                    == if i % 2 == 0 {
                        Kind::Identifier
                    } else {
                        Kind::Dot
                    }
            })
        {
            let name: String = name.iter().map(|n| self.text(*n)).collect();
            return Arg {
                name: Some(name),
                value: self.tt_expr(rest, depth),
            };
        }
        Arg {
            name: None,
            value: self.tt_expr(piece, depth),
        }
    }

    /// A bracketed group on its own: `[..]` list, `(..)` group or tuple, `{..}` object.
    pub(crate) fn tt_group(&mut self, tt: Node<'a>, depth: u32) -> Expr {
        let span = self.span(tt);
        if depth > MAX_DEPTH {
            return self.truncated(tt);
        }
        let toks = self.tt_tokens(tt);
        let pieces: Vec<&[Node<'a>]> = toks
            .split(|n| self.kind(*n) == Kind::Comma)
            .filter(|p| !p.is_empty())
            .collect();
        let kind = match self.delimiter(tt) {
            Kind::LBracket => {
                ExprKind::List(pieces.iter().map(|p| self.tt_expr(p, depth)).collect())
            }
            Kind::LParen
                if pieces.len() == 1
                    && !toks.last().is_some_and(|n| self.kind(*n) == Kind::Comma) =>
            {
                return self.tt_expr(pieces.first().copied().unwrap_or(&[]), depth);
            }
            Kind::LParen => {
                ExprKind::Tuple(pieces.iter().map(|p| self.tt_expr(p, depth)).collect())
            }
            _ => {
                let mut entries = Vec::with_capacity(pieces.len());
                for p in &pieces {
                    match p.iter().position(|n| self.kind(*n) == Kind::Colon) {
                        Some(i) if i > 0 && i + 1 < p.len() => {
                            let (k, v) = p.split_at(i);
                            let key = self.tt_expr(k, depth);
                            let value = self.tt_expr(v.get(1..).unwrap_or(&[]), depth);
                            entries.push((key, value));
                        }
                        _ => {
                            entries.clear();
                            break;
                        }
                    }
                }
                if entries.len() == pieces.len() {
                    ExprKind::Dict(entries)
                } else {
                    ExprKind::Other(pieces.iter().map(|p| self.tt_expr(p, depth)).collect())
                }
            }
        };
        Expr::new(kind, span)
    }

    /// Fields of a struct literal in a token tree: `a: 1` and shorthand `b`.
    pub(crate) fn tt_fields(&mut self, tt: Node<'a>, depth: u32) -> Vec<Arg> {
        if depth > MAX_DEPTH {
            self.facts.truncated = true;
            return Vec::new();
        }
        let toks = self.tt_tokens(tt);
        let t = self.t;
        let mut args = Vec::new();
        for p in toks.split(|n| t.kind(*n) == Kind::Comma) {
            match p {
                [name, colon, rest @ ..] if self.kind(*colon) == Kind::Colon => args.push(Arg {
                    name: Some(self.text(*name).to_owned()),
                    value: self.tt_expr(rest, depth),
                }),
                [name] if self.kind(*name) == Kind::Identifier => {
                    let text = self.text(*name).to_owned();
                    let value = Expr::new(ExprKind::Name(text.clone()), self.span(*name));
                    args.push(Arg {
                        name: Some(text),
                        value,
                    });
                }
                [] => {}
                _ => args.push(Arg {
                    name: None,
                    value: self.tt_expr(p, depth),
                }),
            }
        }
        args
    }
}

/// `vec![..]` (also `std::vec!`) is a list; other macros keep their path and args.
pub(crate) fn macro_kind(path: Vec<String>, args: Vec<Arg>) -> ExprKind {
    if path.last().is_some_and(|s| s == "vec") && path.len() <= 2 {
        return ExprKind::List(args.into_iter().map(|a| a.value).collect());
    }
    ExprKind::Macro {
        path,
        args: Box::new(args),
    }
}
